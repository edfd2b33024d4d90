/* Freestanding string functions (lib/string.c); on the host, libc provides the same. */
#ifndef TAKARA_LIB_STRING_H
#define TAKARA_LIB_STRING_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
void *memchr(const void *s, int c, size_t n);
/* Copies at most size-1 bytes and terminates; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);

#endif
