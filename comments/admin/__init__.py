"""The moderators' side in Django admin.

- comments.py: the comment list (the queue) and page, and the inline on articles;
- queue.py: the queue's filters, decisions with a reason, the audit log shown on a comment;
- moderation_settings.py: what moderators tune and follow up (settings, phrase lists, reports);
- dashboard.py: the moderation dashboard;
- audit.py: every moderation event, filterable by moderator, action and date.
"""

from comments.admin import audit, comments, dashboard, moderation_settings

__all__ = ["audit", "comments", "dashboard", "moderation_settings"]
