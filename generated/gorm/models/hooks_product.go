package models

// This file is yours: migrator wrote it once, because Django runs Python for catalog.Product that the
// generated code cannot port by itself, and it never overwrites it. Port each function below; until
// you do, the Go side skips what the Python does.

import (
	"gorm.io/gorm"
)

// pythonSave stands for the save() override at catalog/models.py:74:
//
//	def save(self, *args, **kwargs):
//	    if not self.slug:
//	        self.slug = slugify(self.name)[:200] or uuid.uuid4().hex[:12]
//	    super().save(*args, **kwargs)
//
// TODO(migrator): port this; return an error to abort the write as an exception would.
func (m *Product) pythonSave(tx *gorm.DB) error {
	return nil
}
