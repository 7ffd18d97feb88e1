from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class Queue(models.Model):
    title = models.CharField(max_length=20)
    permission_name = models.CharField(max_length=60, blank=True)

    def build_api_field(self):
        """The field a serializer adds for this row (helpdesk's CustomField.build_api_field shape)."""
        kinds = {"": serializers.CharField, "desk.view_all": serializers.EmailField}
        attributes = {"label": self.title, "required": False}
        if self.permission_name in ("desk.view_all",):
            attributes["max_length"] = 60
        elif self.permission_name == "":
            attributes["allow_blank"] = True
        try:
            return kinds[self.permission_name](**attributes)
        except KeyError:
            raise NameError(f"Unrecognized permission {self.permission_name}")


class KBItem(models.Model):
    title = models.CharField(max_length=40)


class Ticket(models.Model):
    STATUS_CHOICES = ((1, _("Open")), (2, _("Closed")), (3, _("Réouvert <&>")))
    OPEN_NOTES = ("beta", "mid")

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE)
    title = models.CharField(max_length=20)
    submitter_email = models.CharField(max_length=60, blank=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    # helpdesk's Ticket columns its SerializerMethodFields read (load/drf_method)
    kbitem = models.ForeignKey(KBItem, null=True, blank=True, on_delete=models.SET_NULL)
    status = models.IntegerField(choices=STATUS_CHOICES, default=1)
    on_hold = models.BooleanField(default=False)

    @property
    def ticket(self):
        """helpdesk's: the queue's slug (here its title) and the id, in brackets."""
        return f"[{self.ticket_for_url}]"

    @property
    def ticket_for_url(self):
        return f"{self.queue.title}-{self.id}"

    @property
    def get_status(self):
        """helpdesk's get_status: can_be_resolved runs a query per ticket."""
        held_msg, dep_msg = _("On Hold"), _("Open dependencies")
        status = self.get_status_display()
        if self.on_hold:
            status = f"{status} - {held_msg}"
        if not self.can_be_resolved:
            status = f"{status} - {dep_msg}"
        return status

    @property
    def can_be_resolved(self):
        """helpdesk's shape over notes: no note among the open ones."""
        qs = Note.objects.filter(ticket=self)
        unresolved_deps = qs.filter(text__in=Ticket.OPEN_NOTES)
        return not unresolved_deps.exists()

    def set_labels(self):
        """helpdesk's Ticket.set_custom_field_values shape: an attribute per queue (load/drf_rowfields reads it)."""
        for queue in Queue.objects.order_by("title"):
            try:
                value = self.ticketlabel_set.get(queue=queue).value
            except TicketLabel.DoesNotExist:
                value = None
            setattr(self, f"label_{queue.title}", value)

    def set_custom_field_values(self):
        """helpdesk's: custom_<name> per CustomField row, None without a value."""
        for field in CustomField.objects.all():
            try:
                value = self.ticketcustomfieldvalue_set.get(field=field).value
            except TicketCustomFieldValue.DoesNotExist:
                value = None
            setattr(self, f"custom_{field.name}", value)


class TicketLabel(models.Model):
    """A ticket's value per queue (helpdesk's TicketCustomFieldValue: a ticket's value per CustomField row)."""
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE)
    queue = models.ForeignKey(Queue, on_delete=models.CASCADE)
    value = models.CharField(max_length=20, blank=True)


class Note(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE)
    text = models.CharField(max_length=40)

    class Meta:
        ordering = ["text"]


class CustomField(models.Model):
    """helpdesk's CustomField, cut down: a key per row in the tickets' answer (a DRF field class per data_type)."""
    name = models.SlugField(max_length=30, unique=True)
    data_type = models.CharField(max_length=20)
    max_length = models.IntegerField(blank=True, null=True)
    decimal_places = models.IntegerField(blank=True, null=True)
    list_values = models.TextField(blank=True, null=True)
    ordering = models.IntegerField(blank=True, null=True)
    required = models.BooleanField(default=False)
    staff_only = models.BooleanField(default=False)

    class Meta:
        ordering = ["ordering", "name"]

    def get_choices(self):
        return [[v.strip(), v.strip()] for v in (self.list_values or "").splitlines()]

    def build_api_field(self):
        customfield_to_api_field_dict = {
            "varchar": serializers.CharField, "text": serializers.CharField, "integer": serializers.IntegerField,
            "decimal": serializers.DecimalField, "list": serializers.ChoiceField,
            "boolean": serializers.BooleanField, "date": serializers.DateField, "time": serializers.TimeField,
            "datetime": serializers.DateTimeField, "email": serializers.EmailField, "url": serializers.URLField,
            "ipaddress": serializers.IPAddressField, "slug": serializers.SlugField,
        }
        attributes = {"label": self.name, "help_text": "", "required": self.required}
        if self.data_type in ("varchar", "text"):
            attributes["max_length"] = self.max_length
        elif self.data_type == "decimal":
            attributes["decimal_places"] = self.decimal_places
            attributes["max_digits"] = self.max_length
        elif self.data_type == "list":
            attributes["choices"] = self.get_choices()
        try:
            return customfield_to_api_field_dict[self.data_type](**attributes)
        except KeyError:
            raise NameError(f"Unrecognized data_type {self.data_type}")


class TicketCustomFieldValue(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE)
    field = models.ForeignKey(CustomField, on_delete=models.CASCADE)
    value = models.TextField(blank=True, null=True)

    class Meta:
        unique_together = (("ticket", "field"),)

