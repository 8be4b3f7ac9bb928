"""The two links in reply emails: confirm the address, and unsubscribe.

Both show a button on GET and act on POST, so a mail scanner that follows
links cannot confirm or unsubscribe anyone by itself.
"""

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from comments import subscriptions
from cramps_site.origin_csrf import origin_checked

TEMPLATE = "comments/subscription.html"


@origin_checked
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    email_token = subscriptions.email_token_from_confirm_link(token)
    if email_token is None:
        return render(request, TEMPLATE, {"step": "invalid"}, status=400)
    if request.method == "POST":
        subscriptions.confirm(email_token)
        return render(request, TEMPLATE, {"step": "confirmed"})
    return render(request, TEMPLATE, {"step": "confirm"})


# RFC 8058 one-click: the mail app POSTs "List-Unsubscribe=One-Click" with no
# CSRF token; the signed token in the URL is the proof, and the worst a forged
# request could do is stop emails the token's owner already may stop.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    email_token = subscriptions.email_token_from_unsubscribe_link(token)
    if email_token is None:
        return render(request, TEMPLATE, {"step": "invalid"}, status=400)
    if request.method == "POST":
        subscriptions.unsubscribe(email_token)
        return render(request, TEMPLATE, {"step": "unsubscribed"})
    return render(request, TEMPLATE, {"step": "unsubscribe"})
