/*
 * tally: a C++ program (wasi-libc and libc++) that counts its argument words and keeps
 * running totals in the C `kv` service. Standard C++ does the counting (std::string,
 * std::vector, <algorithm>) and printf writes through WASI; the takara wrapper
 * (sdk/cpp/include/takara.hpp) reaches kv over a channel, through the shell's relay of
 * init's name service, with the kv protocol's generated C++ client (<proto/kv.hpp>). Each word's total is the key `tally.WORD` in kv, so a second run
 * adds to the first and any other kv client reads the same numbers.
 *
 *     run tally red green red     ->  tally: red 2 / tally: green 1   (most frequent first)
 */
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <proto/kv.hpp>
#include <takara.hpp>
#include <vector>

namespace
{

struct Count {
    std::string word;
    long total;
};

/* kv's value under `tally.WORD` as a number; 0 for a word it has never seen */
takara::Result<long> stored(const takara::Channel &kv, const std::string &word)
{
    std::string key = "tally." + word;
    takara::Result<kv_get_reply> got = takara::proto::kv::get(kv, key.c_str());
    if (got.error() == takara::Error(TK_ERR_NOENT)) return 0L;
    if (!got) return got.error();
    return std::strtol(got->value, nullptr, 10);
}

takara::Error store(const takara::Channel &kv, const std::string &word, long total)
{
    std::string key = "tally." + word, value = std::to_string(total);
    return takara::proto::kv::set(kv, key.c_str(), value.c_str());
}

} // namespace

int main(int argc, char **argv)
{
    std::vector<std::string> words(argv + 1, argv + argc);
    if (words.empty()) {
        std::printf("usage: tally WORD...\n");
        return 2;
    }
    takara::Result<takara::Channel> kv = takara::service::connect("kv");
    if (!kv) {
        std::printf("tally: connect kv: %s (%s)\n", kv.error().name(), kv.error().message());
        return 1;
    }

    std::sort(words.begin(), words.end());
    std::vector<Count> counts;
    for (auto first = words.begin(); first != words.end();) {
        auto last = std::upper_bound(first, words.end(), *first);
        takara::Result<long> before = stored(*kv, *first);
        if (!before) {
            std::printf("tally: get %s: %s\n", first->c_str(), before.error().name());
            return 1;
        }
        long total = *before + static_cast<long>(last - first);
        takara::Error e = store(*kv, *first, total);
        if (!e.ok()) {
            std::printf("tally: set %s: %s\n", first->c_str(), e.name());
            return 1;
        }
        counts.push_back({*first, total});
        first = last;
    }
    std::stable_sort(counts.begin(), counts.end(),
                     [](const Count &a, const Count &b) { return a.total > b.total; });
    for (const Count &c : counts) std::printf("tally: %s %ld\n", c.word.c_str(), c.total);
    return 0;
}
