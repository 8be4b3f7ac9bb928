"""Flash messages in a cookie, without telling readers who never had one to delete it."""

from django.contrib.messages.storage.cookie import CookieStorage


class QuietCookieStorage(CookieStorage):
    """Django's cookie storage, minus the deleting Set-Cookie on every page that shows messages.

    Django deletes the cookie whenever messages were looked at, even if the
    request had none; that header would be the only cookie a reader gets
    (issue 10) and would make every article response uncacheable.
    """

    def _update_cookie(self, encoded_data, response):
        if not encoded_data and self.cookie_name not in self.request.COOKIES:
            return
        super()._update_cookie(encoded_data, response)
