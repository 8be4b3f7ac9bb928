"""The moderators' side in Django admin.

- comments.py: the comment list (the queue) and page, and the inline on articles;
- queue.py: the queue's filters, decisions with a reason, the audit log shown on a comment;
- moderation_settings.py: what moderators tune and follow up (settings, phrase lists, reports);
- dashboard.py: the moderation dashboard.
"""

from comments.admin import comments, dashboard, moderation_settings

__all__ = ["comments", "dashboard", "moderation_settings"]
