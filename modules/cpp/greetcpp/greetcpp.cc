/*
 * greetcpp: the first module of docs/guide-cpp.md: C++ with libc++ over WASI, plus one
 * call into the kernel through the takara wrapper (its pid).
 */
#include <cstdio>
#include <string>
#include <takara.hpp>

int main(int argc, char **argv)
{
    std::string who = argc > 1 ? argv[1] : "world";
    std::printf("hello, %s (C++, pid %d)\n", who.c_str(), static_cast<int>(tk_getpid()));
    return 0;
}
