/*
 * The C++ SDK: a header-only wrapper over the `takara` imports (sdk/c/include/takara.h,
 * generated from include/takara/abi.def). Handles are RAII objects that close on
 * destruction and can only be moved; errors are values with names (from errors.def),
 * never exceptions. It needs no C++ library: a module built with wasi-libc and libc++
 * (modules/cpp/NAME/) uses it next to WASI, and a freestanding one can too.
 *
 *     takara::Result<takara::Channel> kv = takara::service::connect("kv");
 *     if (!kv) takara::println("kv: ", kv.error().name());
 *     takara::Result<kv_get_reply> v = takara::proto::kv::get(*kv, "a");   <proto/kv.hpp>
 *
 * Protocols (include/takara/proto/) come as generated headers <proto/NAME.hpp> over the
 * C SDK's generated code, which mk/cpp.mk links into every C++ module with the C SDK's
 * service library. Build flags: -std=c++17 -fno-exceptions -fno-rtti -Iinclude
 * -Isdk/c/include -Isdk/cpp/include -Ibuild/gen (mk/cpp.mk). The `takara_abi` export the kernel checks in any module
 * importing "takara" comes with the entry: sdk/cpp/start.cc (WASI) or sdk/c/start.c.
 */
#ifndef TAKARA_SDK_HPP
#define TAKARA_SDK_HPP

extern "C" {
#include <takara.h>
#include <tk_service.h>
}

namespace takara
{

/* An error code of include/takara/errors.def (0: success). */
class Error
{
  public:
    constexpr Error() : code_(0) {}
    constexpr explicit Error(int32_t code) : code_(code < 0 ? code : 0) {}
    constexpr int32_t code() const { return code_; }
    constexpr bool ok() const { return code_ == 0; }
    /* "PEER_CLOSED", from the table itself */
    const char *name() const
    {
        switch (code_) {
#define TK_ERROR(name, value, msg)                                                                 \
    case value:                                                                                    \
        return #name;
#include <takara/errors.def>
#undef TK_ERROR
        }
        return "UNKNOWN";
    }
    /* "peer closed" */
    const char *message() const
    {
        switch (code_) {
#define TK_ERROR(name, value, msg)                                                                 \
    case value:                                                                                    \
        return msg;
#include <takara/errors.def>
#undef TK_ERROR
        }
        return "unknown error";
    }
    friend constexpr bool operator==(Error a, Error b)
    {
        return a.code_ == b.code_;
    }
    friend constexpr bool operator!=(Error a, Error b)
    {
        return a.code_ != b.code_;
    }

  private:
    int32_t code_;
};

/* A value or the error that prevented it. T must be default-constructible and movable. */
template <typename T> class Result
{
  public:
    Result(T value) : value_(static_cast<T &&>(value)) {}
    Result(Error error) : error_(error) {}
    bool ok() const { return error_.ok(); }
    explicit operator bool() const { return ok(); }
    Error error() const { return error_; }
    T &value() { return value_; }
    T &operator*() { return value_; }
    T *operator->() { return &value_; }

  private:
    T value_{};
    Error error_;
};

/* A negative import result as an error, anything else as success. */
inline Error check(int32_t r)
{
    return Error(r);
}

/* One owned handle: closed when destroyed, never copied. */
class Handle
{
  public:
    Handle() = default;
    explicit Handle(tk_handle raw) : raw_(raw) {}
    Handle(Handle &&other) : raw_(other.release()) {}
    Handle &operator=(Handle &&other)
    {
        if (this != &other) reset(other.release());
        return *this;
    }
    Handle(const Handle &) = delete;
    Handle &operator=(const Handle &) = delete;
    ~Handle() { reset(); }

    tk_handle get() const { return raw_; }
    bool valid() const { return raw_ != TK_HANDLE_INVALID; }
    explicit operator bool() const { return valid(); }
    /* gives up ownership: the caller closes the value */
    tk_handle release()
    {
        tk_handle raw = raw_;
        raw_ = TK_HANDLE_INVALID;
        return raw;
    }
    void reset(tk_handle raw = TK_HANDLE_INVALID)
    {
        if (raw_ != TK_HANDLE_INVALID) tk_handle_close(raw_);
        raw_ = raw;
    }

    /* another handle to the same object with rights within this one's (needs DUPLICATE) */
    Result<Handle> duplicate(uint32_t rights = TK_RIGHTS_SAME) const
    {
        tk_handle out = TK_HANDLE_INVALID;
        int32_t r = tk_handle_duplicate(raw_, rights, &out);
        if (r < 0) return Error(r);
        return Handle(out);
    }
    /* this handle with fewer rights; it is consumed even on failure */
    Result<Handle> replace(uint32_t rights)
    {
        tk_handle out = TK_HANDLE_INVALID;
        int32_t r = tk_handle_replace(release(), rights, &out);
        if (r < 0) return Error(r);
        return Handle(out);
    }
    Error info(struct tk_handle_info &out) const { return check(tk_handle_info(raw_, &out)); }
    /* waits until one of `signals` is asserted (timeout_ns < 0: forever): the asserted
     * signals, or TIMEOUT */
    Result<uint32_t> wait(uint32_t signals, int64_t timeout_ns = -1) const
    {
        uint32_t observed = 0;
        int32_t r = tk_object_wait_one(raw_, signals, timeout_ns, &observed);
        if (r < 0) return Error(r);
        return observed;
    }

  protected:
    tk_handle raw_ = TK_HANDLE_INVALID;
};

/* What a channel read or call received (also set when the buffers were too small). */
struct Sizes {
    uint32_t bytes = 0, handles = 0;
};

template <typename T> struct Pair {
    T first, second;
};

/* A channel endpoint: whole messages of bytes and handles (docs/ipc.md). */
class Channel : public Handle
{
  public:
    Channel() = default;
    explicit Channel(tk_handle raw) : Handle(raw) {}
    explicit Channel(Handle &&h) : Handle(h.release()) {}

    static Result<Pair<Channel>> create()
    {
        tk_handle a, b;
        int32_t r = tk_channel_create(&a, &b);
        if (r < 0) return Error(r);
        return Pair<Channel>{Channel(a), Channel(b)};
    }
    /* sends bytes and moves `handles` into the message (they are gone even on failure) */
    Error write(const void *bytes, uint32_t nbytes, Handle *handles = nullptr,
                uint32_t nhandles = 0) const
    {
        tk_handle raw[TK_CHANNEL_MAX_HANDLES];
        if (nhandles > TK_CHANNEL_MAX_HANDLES) return Error(TK_ERR_RANGE);
        for (uint32_t i = 0; i < nhandles; i++) raw[i] = handles[i].release();
        return check(tk_channel_write(raw_, bytes, nbytes, raw, nhandles));
    }
    /* the next message: AGAIN if none, BUFFER_TOO_SMALL (got says what it needs) */
    Error read(void *bytes, uint32_t cap, Sizes &got, Handle *handles = nullptr,
               uint32_t hcap = 0) const
    {
        tk_handle raw[TK_CHANNEL_MAX_HANDLES];
        tk_channel_sizes sz = {0, 0};
        if (hcap > TK_CHANNEL_MAX_HANDLES) hcap = TK_CHANNEL_MAX_HANDLES;
        int32_t r = tk_channel_read(raw_, bytes, cap, raw, hcap, &sz);
        got.bytes = sz.bytes;
        got.handles = sz.handles;
        if (r < 0) return Error(r);
        for (uint32_t i = 0; i < sz.handles; i++) handles[i].reset(raw[i]);
        return Error();
    }
    /* writes a request and waits (timeout_ns < 0: forever) for room in a full queue, then
     * for the next message: AGAIN only for timeout_ns 0 (docs/ipc.md) */
    Error call(const void *req, uint32_t len, void *reply, uint32_t cap, Sizes &got,
               int64_t timeout_ns = -1, Handle *send = nullptr, uint32_t nsend = 0,
               Handle *recv = nullptr, uint32_t nrecv = 0) const
    {
        tk_handle out[TK_CHANNEL_MAX_HANDLES], in[TK_CHANNEL_MAX_HANDLES];
        tk_channel_sizes sz = {0, 0};
        if (nsend > TK_CHANNEL_MAX_HANDLES || nrecv > TK_CHANNEL_MAX_HANDLES)
            return Error(TK_ERR_RANGE);
        for (uint32_t i = 0; i < nsend; i++) out[i] = send[i].release();
        int32_t r =
            tk_channel_call(raw_, req, len, out, nsend, reply, cap, in, nrecv, &sz, timeout_ns);
        got.bytes = sz.bytes;
        got.handles = sz.handles;
        if (r < 0) return Error(r);
        for (uint32_t i = 0; i < sz.handles; i++) recv[i].reset(in[i]);
        return Error();
    }
};

/* An event: the user signal TK_SIGNAL_SIGNALED. */
class Event : public Handle
{
  public:
    Event() = default;
    explicit Event(tk_handle raw) : Handle(raw) {}

    static Result<Event> create()
    {
        tk_handle h;
        int32_t r = tk_event_create(&h);
        if (r < 0) return Error(r);
        return Event(h);
    }
    Error signal() const { return check(tk_object_signal(raw_, 0, TK_SIGNAL_SIGNALED)); }
    Error clear() const { return check(tk_object_signal(raw_, TK_SIGNAL_SIGNALED, 0)); }
};

/* A timer firing TK_SIGNAL_TIMER_FIRED once the monotonic clock passes its deadline. */
class Timer : public Handle
{
  public:
    Timer() = default;
    explicit Timer(tk_handle raw) : Handle(raw) {}

    static Result<Timer> create()
    {
        tk_handle h;
        int32_t r = tk_timer_create(&h);
        if (r < 0) return Error(r);
        return Timer(h);
    }
    Error set(int64_t deadline_ns) const { return check(tk_timer_set(raw_, deadline_ns)); }
    Error cancel() const { return check(tk_timer_cancel(raw_)); }
};

/* A port: packets {key, signals} from the objects it watches. */
class Port : public Handle
{
  public:
    Port() = default;
    explicit Port(tk_handle raw) : Handle(raw) {}

    static Result<Port> create()
    {
        tk_handle h;
        int32_t r = tk_port_create(&h);
        if (r < 0) return Error(r);
        return Port(h);
    }
    Error watch(const Handle &h, uint64_t key, uint32_t signals) const
    {
        return check(tk_port_watch(raw_, h.get(), key, signals));
    }
    Error unwatch(uint64_t key) const { return check(tk_port_unwatch(raw_, key)); }
    /* the next packet (timeout_ns < 0: forever), or TIMEOUT */
    Result<tk_port_packet> wait(int64_t timeout_ns = -1) const
    {
        tk_port_packet p = {0, 0, 0};
        int32_t r = tk_port_wait(raw_, &p, timeout_ns);
        if (r < 0) return Error(r);
        return p;
    }
};

/* Pages shared between linear memories. */
class Memory : public Handle
{
  public:
    Memory() = default;
    explicit Memory(tk_handle raw) : Handle(raw) {}

    static Result<Memory> create(uint32_t pages)
    {
        tk_handle h;
        int32_t r = tk_memory_create(pages, &h);
        if (r < 0) return Error(r);
        return Memory(h);
    }
    /* maps at a 4 KiB-aligned address of this module's memory */
    Error map(void *at) const
    {
        return check(tk_memory_map(raw_, static_cast<uint32_t>(reinterpret_cast<uintptr_t>(at))));
    }
    static Error unmap(void *at)
    {
        return check(tk_memory_unmap(static_cast<uint32_t>(reinterpret_cast<uintptr_t>(at))));
    }
};

/* ---- the console (needs the console capability), without any C library ---- */

inline size_t length(const char *s)
{
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

/* The startup handle `name` this process was given at spawn, taken once (the Handle owns
 * it): NOENT if it was not given or is taken already. */
inline Result<Handle> startup_handle(const char *name)
{
    tk_handle out = TK_HANDLE_INVALID;
    int32_t r = tk_startup_handle_take(name, static_cast<uint32_t>(length(name)), &out);
    if (r < 0) return Error(r);
    return Handle(out);
}

inline Error write(const void *buf, size_t len)
{
    const char *p = static_cast<const char *>(buf);
    while (len > 0) {
        int32_t r = tk_console_write(p, static_cast<uint32_t>(len));
        if (r < 0) return Error(r);
        p += r;
        len -= static_cast<size_t>(r);
    }
    return Error();
}

inline void print_one(const char *s)
{
    write(s, length(s));
}
inline void print_one(char c)
{
    write(&c, 1);
}
inline void print_one(int64_t v)
{
    char buf[24], *p = buf + sizeof buf;
    uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
    do *--p = static_cast<char>('0' + u % 10);
    while (u /= 10);
    if (v < 0) *--p = '-';
    write(p, static_cast<size_t>(buf + sizeof buf - p));
}
inline void print_one(int32_t v)
{
    print_one(static_cast<int64_t>(v));
}
inline void print_one(uint32_t v)
{
    print_one(static_cast<int64_t>(v));
}
inline void print_one(Error e)
{
    print_one(e.ok() ? "OK" : e.name());
}

/* print("a", 1, err): strings, characters, integers and errors (by name) */
template <typename... Args> void print(const Args &...args)
{
    (print_one(args), ...);
}
template <typename... Args> void println(const Args &...args)
{
    (print_one(args), ...);
    print_one('\n');
}

/* ---- services: init's name service and the request/response convention ---- */
namespace service
{

/* the bootstrap channel, taken once from the kernel and kept for the process's life (by
 * the C SDK's tk_service.h, which the C++ SDK links) */
inline Result<tk_handle> bootstrap()
{
    tk_handle h = TK_HANDLE_INVALID;
    int32_t r = tk_service_bootstrap(&h);
    if (r < 0) return Error(r);
    return h;
}

/* A channel to service `name` (the manifest's `uses` of this process, or of the shell
 * that ran it, must name it): DENIED, NOENT, or the bootstrap's errors. The name
 * protocol's client is the code generated from include/takara/proto/name.proto. */
inline Result<Channel> connect(const char *name)
{
    tk_handle h = TK_HANDLE_INVALID;
    int32_t r = tk_service_connect(name, &h);
    if (r < 0) return Error(r);
    return Channel(h);
}

/* One request and its reply: the reply's length, or the server's status when the reply is
 * a 4-byte negative code (tk_service.h's convention), or the channel's error. */
inline Result<uint32_t> call(const Channel &ch, const void *req, uint32_t len, void *reply,
                             uint32_t cap)
{
    Sizes got;
    Error e = ch.call(req, len, reply, cap, got);
    if (!e.ok()) return e;
    if (got.bytes == sizeof(int32_t)) {
        int32_t status;
        __builtin_memcpy(&status, reply, sizeof status);
        if (status < 0) return Error(status);
    }
    return got.bytes;
}

} // namespace service
} // namespace takara

#endif
