from .models import Person


def add_person(name, email):
    # an INSERT writes every column: Person.checksum's pre_save computes it (FIELD_PRE_SAVE)
    return Person.objects.create(name=name, email=email, handle="h")


def rename(name, new_name):
    # update_or_create saves the row through Model.save(): pre_save runs on the UPDATE too (FIELD_PRE_SAVE)
    return Person.objects.update_or_create(name=name, defaults={"name": new_name})


def set_checksum(name, value):
    # QuerySet.update() never calls pre_save: the value given is what Django stores (translated)
    return Person.objects.filter(name=name).update(checksum=value)


def set_handle(name, handle):
    # an UPDATE that does not set the checksum column (translated)
    return Person.objects.filter(name=name).update(handle=handle)


def by_checksum(value):
    # reads of the column stay translated
    return list(Person.objects.filter(checksum=value))


def by_nickname(nickname):
    # EmptyNullCharField.get_prep_value binds '' as NULL: Django compares with NULL, a query would compare with ''
    # (FIELD_CONVERSION, unless migrator.yaml types: declares the field's Go type)
    return list(Person.objects.filter(nickname=nickname))


def set_nickname(name, nickname):
    # QuerySet.update() converts too (get_db_prep_save): Django stores NULL for '' (FIELD_CONVERSION)
    return Person.objects.filter(name=name).update(nickname=nickname)
