package models

// This file is yours: migrator wrote it once, because Django runs Python for auth.User that the
// generated code cannot port by itself, and it never overwrites it. Port each function below; until
// you do, the Go side skips what the Python does.

import (
	"gorm.io/gorm"
)

// pythonSave stands for the save() override at django/contrib/auth/base_user.py:64:
//
//	def save(self, *args, **kwargs):
//	    super().save(*args, **kwargs)
//	    if self._password is not None:
//	        password_validation.password_changed(self._password, self)
//	        self._password = None
//
// TODO(migrator): port this; return an error to abort the write as an exception would.
func (m *User) pythonSave(tx *gorm.DB) error {
	return nil
}

// postSaveCreateProfileForNewUser stands for the post_save receiver at accounts/signals.py:8:
//
//	@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts.create_profile")
//	def create_profile_for_new_user(sender, instance, created, raw=False, **kwargs):
//	    """Give every newly created user an empty Profile.
//
//	    Skipped for raw saves (loaddata), where fixtures bring their own profiles.
//	    """
//	    if raw or not created:
//	        return
//	    Profile.objects.get_or_create(user=instance)
//
// TODO(migrator): port this; return an error to abort the write as an exception would.
func (m *User) postSaveCreateProfileForNewUser(tx *gorm.DB, created bool) error {
	return nil
}
