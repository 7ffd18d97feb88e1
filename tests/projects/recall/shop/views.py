from django.views.generic import DetailView, ListView
from rest_framework import viewsets

from .models import Account, Order


class AccountList(ListView):
    model = Account

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["n"] = self.get_queryset().count()  # site: view-model-default
        ctx["active"] = self.model.objects.filter(active=True).count()  # site: self-model
        return ctx


class ActiveAccounts(ListView):
    queryset = Account.objects.filter(active=True)  # site: class-queryset

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["first"] = self.get_queryset().first()  # site: view-queryset-attr
        return ctx


class MyAccounts(ListView):
    model = Account

    def get_queryset(self):
        return Account.objects.filter(owner=self.request.user)  # site: own-get-queryset

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["n"] = self.get_queryset().count()  # site: inlined-get-queryset
        return ctx


class Refined(ListView):
    model = Account

    def get_queryset(self):
        return super().get_queryset().filter(active=True)  # site: super-get-queryset


class Ordered(ListView):
    model = Account
    ordering = ["-id"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["n"] = self.get_queryset().count()  # site: ordered-view
        return ctx


class OrderDetail(DetailView):
    model = Order

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tags"] = list(self.object.tags.all())  # site: self-object
        ctx["mine"] = self.request.user.accounts.count()  # site: request-user
        return ctx


class AccountViewSet(viewsets.ModelViewSet):
    queryset = Account.objects.all()  # site: viewset-queryset

    def get_queryset(self):
        return super().get_queryset().filter(owner=self.request.user)  # site: viewset-super
