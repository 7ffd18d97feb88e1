from django import forms
from django.forms.models import modelformset_factory

from .models import Account


class AccountForm(forms.ModelForm):  # no Meta.model: the formset factory below gives it
    def save(self, *args, **kwargs):
        instance = super().save(*args, commit=False, **kwargs)
        return instance.orders.count()  # site: formset-factory-model


AccountFormSet = modelformset_factory(Account, form=AccountForm, fields=("active",))
