/* Messages and names for the shared error table (include/takara/errors.def). */
#include <takara/error.h>

const char *tk_strerror(int err)
{
    switch (err) {
#define TK_ERROR(name, value, msg)                                                                 \
    case value:                                                                                    \
        return msg;
#include <takara/errors.def>
#undef TK_ERROR
    }
    return "unknown error";
}

const char *tk_error_name(int err)
{
    switch (err) {
#define TK_ERROR(name, value, msg)                                                                 \
    case value:                                                                                    \
        return #name;
#include <takara/errors.def>
#undef TK_ERROR
    }
    return "UNKNOWN";
}
