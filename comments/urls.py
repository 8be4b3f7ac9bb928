from django.urls import path, re_path

from comments import views

app_name = "comments"

urlpatterns = [
    path("post/<slug:slug>/", views.post_comment, name="post"),
    re_path(r"^avatar/(?P<token>[0-9a-f]{32})\.png$", views.avatar, name="avatar"),
]
