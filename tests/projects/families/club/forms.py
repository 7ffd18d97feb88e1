from django import forms

from .models import Member, Team


class TeamForm(forms.ModelForm):
    lead = forms.ModelChoiceField(Member.objects.none())  # site: form-field

    class Meta:
        model = Team
        fields = ["name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = self.instance.members.filter(active=True)  # site: form-instance

    def save(self, commit=True):
        team = super().save(commit=False)
        team.members.update(active=True)  # site: form-save
        return team
