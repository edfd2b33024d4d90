/* Host-side helper shared by the Linux tools and tests: a whole file into memory. */
#ifndef TAKARA_TOOLS_HOST_READ_FILE_H
#define TAKARA_TOOLS_HOST_READ_FILE_H

#include <stddef.h>

/* The file's bytes (malloc'ed, one spare byte) and their count in *len; NULL on error. */
unsigned char *host_read_file(const char *path, size_t *len);

#endif
