from django.conf import settings
from django.db import models
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


class Ticket(models.Model):
    queue = models.ForeignKey(Queue, on_delete=models.CASCADE)
    title = models.CharField(max_length=20)
    submitter_email = models.CharField(max_length=60, blank=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    def set_labels(self):
        """helpdesk's Ticket.set_custom_field_values shape: an attribute per queue (load/drf_rowfields reads it)."""
        for queue in Queue.objects.order_by("title"):
            try:
                value = self.ticketlabel_set.get(queue=queue).value
            except TicketLabel.DoesNotExist:
                value = None
            setattr(self, f"label_{queue.title}", value)


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
