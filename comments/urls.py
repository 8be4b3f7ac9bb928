from django.urls import path, re_path

from comments.readers import own_views, subscription_views, views

app_name = "comments"

urlpatterns = [
    path("post/<slug:slug>/", views.post_comment, name="post"),
    path("<int:pk>/edit/", own_views.edit_comment, name="edit"),
    path("<int:pk>/delete/", own_views.delete_comment, name="delete"),
    path("<int:pk>/report/", own_views.report_comment, name="report"),
    path("confirm/<str:token>/", subscription_views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", subscription_views.unsubscribe, name="unsubscribe"),
    re_path(r"^avatar/(?P<token>[0-9a-f]{32})\.png$", views.avatar, name="avatar"),
]
