from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.urls import reverse

NOTE_MAX = 500
YES, NO = "Yes", "No"


class FeedbackForm(forms.Form):
    """ "Was this page helpful?": one of two buttons, and a note if the reader likes."""

    note = forms.CharField(
        label="Anything we could do better? (optional)",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=(
            "Read only by our editors, never published. Please do not include personal details."
        ),
        error_messages={
            "max_length": "Please keep it to %(limit_value)d characters (it has %(show_value)d)."
        },
    )
    # Set by the button pressed, not shown as a field.
    helpful = forms.ChoiceField(
        choices=[(YES, YES), (NO, NO)],
        error_messages={
            "required": "Please choose Yes or No.",
            "invalid_choice": "Please choose Yes or No.",
        },
    )

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = reverse("articles:feedback", args=[article.slug])
        self.helper.form_class = "feedback-form"
        self.helper.disable_csrf = True  # checked by origin: cramps_site/origin_csrf.py
        self.helper.layout = Layout(
            Fieldset(
                "Was this page helpful?",
                "note",
                Div(
                    Submit("helpful", YES, css_id="helpful-yes"),
                    Submit("helpful", NO, css_id="helpful-no"),
                    css_class="feedback-form__answers",
                ),
            )
        )

    def clean(self):
        if self.cleaned_data.get("helpful") not in (YES, NO):
            raise forms.ValidationError("Please choose Yes or No.")
        return self.cleaned_data

    @property
    def is_helpful(self) -> bool:
        return self.cleaned_data["helpful"] == YES
