from django.contrib.auth.models import User
from django.db import models
from django.utils.translation import gettext_lazy

OPTION_ACTIVE = gettext_lazy("active")  # computed at import: equal to itself, whatever its value


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

    def _folder(self, filters, option=None, **kwargs):  # django-postman's shape: branches on literal options
        qs = self.all() if option == OPTION_ACTIVE else self.none()
        if isinstance(filters, (list, tuple)):
            lookups = models.Q()
            for f in filters:
                lookups |= models.Q(**f)
        else:
            lookups = models.Q(**filters)
        return qs.filter(lookups)

    def owned(self, user, **kwargs):
        filters = {"owner": user}
        if kwargs.get("active"):
            filters["active"] = True
        return self._folder(filters, **kwargs)

    def owned_active_count(self, user):
        return self.owned(user, active=True, option=OPTION_ACTIVE).count()


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
