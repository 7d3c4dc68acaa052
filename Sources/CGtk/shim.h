// Only what Swift cannot call directly: macros and variadic functions.
#ifndef HOMEWARD_CGTK_SHIM_H
#define HOMEWARD_CGTK_SHIM_H

#include <gtk/gtk.h>
#include <glib-unix.h>

/// gtk_accessible_update_property is variadic: one label at a time.
static inline void hw_accessible_set_label(GtkAccessible *accessible, const char *label) {
    gtk_accessible_update_property(accessible, GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static inline void hw_accessible_set_description(GtkAccessible *accessible, const char *text) {
    gtk_accessible_update_property(accessible, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

/// G_OBJECT_TYPE is a macro.
static inline GType hw_object_type(gpointer object) {
    return G_OBJECT_TYPE(object);
}

/// g_object_set is variadic: one string / boolean property at a time.
static inline void hw_object_set_string(gpointer object, const char *name, const char *value) {
    g_object_set(object, name, value, NULL);
}

static inline void hw_object_set_bool(gpointer object, const char *name, gboolean value) {
    g_object_set(object, name, value, NULL);
}

#endif
