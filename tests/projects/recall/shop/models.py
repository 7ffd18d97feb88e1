from django.contrib.auth.models import User
from django.db import models


class AccountQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def mine(self, user):
        return self.active().filter(owner=user)

    def visible(self, user):
        if user.is_staff:
            return self
        return self.filter(owner=user)


class AccountManager(models.Manager):
    def get_queryset(self):
        return AccountQuerySet(self.model, using=self._db)

    def active(self):
        return self.get_queryset().active()

    def visible(self, user):
        return self.get_queryset().visible(user)


class Account(models.Model):
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="accounts")
    active = models.BooleanField(default=True)

    objects = AccountManager()


class Tag(models.Model):
    name = models.CharField(max_length=20)


class Tagged(models.Model):
    """Abstract, one concrete subclass (Order): self is an Order."""

    tags = models.ManyToManyField(Tag, related_name="+")

    class Meta:
        abstract = True

    def tag_count(self):
        return self.tags.count()  # site: abstract-single


class Stamped(models.Model):
    """Abstract, two concrete subclasses (Order, Invoice): self is either."""

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    labels = models.ManyToManyField(Tag, related_name="+")

    class Meta:
        abstract = True

    def owner_accounts(self):
        return self.owner.accounts.count()  # site: abstract-forward

    def label_count(self):
        return self.labels.count()  # site: abstract-several


class Order(Tagged, Stamped):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="orders")


class Invoice(Stamped):
    order = models.ForeignKey(Order, on_delete=models.CASCADE)
