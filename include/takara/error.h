/*
 * Error codes: one enum generated from errors.def, so the numbers, names and messages
 * can never drift apart. Actions return 0 or a negative tk_error; predicates return bool.
 */
#ifndef TAKARA_ERROR_H
#define TAKARA_ERROR_H

enum tk_error {
#define TK_ERROR(name, value, msg) TK_ERR_##name = (value),
#include <takara/errors.def>
#undef TK_ERROR
};

/* Readable message for an error code ("unknown error" for values outside the table). */
const char *tk_strerror(int err);
/* Symbolic name without the prefix, e.g. "NOMEM". */
const char *tk_error_name(int err);

#endif
