/*
 * slowcallcpp: the C++ SDK's side of the slowed-server test (modules/slowcall, scenario
 * slow of tests/modules/boot.sh). It fills its queue to the service `slow`, which sleeps
 * before every read, with one-way notes until AGAIN, then calls it with
 * takara::service::call: the call waits for room instead of failing, and the reply
 * ("notes K") must count every note sent before it.
 */
#include <cstdio>
#include <takara.hpp>

int main()
{
    takara::Result<takara::Channel> slow = takara::service::connect("slow");
    if (!slow) {
        std::printf("slowcall-cpp: connect -> %s\n", slow.error().name());
        return 1;
    }
    unsigned sent = 0;
    takara::Error full;
    while ((full = slow->write("note", 4)).ok()) sent++;
    std::printf("slowcall-cpp: filled: %s after %u notes\n", full.name(), sent);
    if (full.code() != TK_ERR_AGAIN) return 1;
    char reply[32];
    takara::Result<uint32_t> n = takara::service::call(*slow, "count", 5, reply, sizeof reply - 1);
    if (!n) {
        std::printf("slowcall-cpp: call -> %s\n", n.error().name());
        return 1;
    }
    reply[*n] = 0;
    std::printf("slowcall-cpp: call -> OK, '%s' of %u\n", reply, sent);
    return 0;
}
