from django.urls import path

from articles import views
from articles.feeds import LatestArticlesFeed

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="list"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("articles/<slug:slug>/helpful/", views.article_feedback, name="feedback"),
    path("topics/", views.topic_list, name="topics"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("tags/", views.tag_list, name="tags"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
    path("search/", views.search, name="search"),
    path("feed/", LatestArticlesFeed(), name="feed"),
]
