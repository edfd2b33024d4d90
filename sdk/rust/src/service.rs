//! Request/response services over channels, as the C SDK's tk_service.h: a client asks
//! init's name service (include/takara/proto/name.proto, `proto::name`) for a channel to
//! a service of the manifest (its `uses` must name it) and calls it; a server answers
//! every client from one loop over a port, learning of each from init's `client` note
//! on its bootstrap channel. A request is one message of at most MAX_MSG bytes and 4
//! handles; a reply is one message, or a 4-byte negative status for an error. A server
//! of a protocol of include/takara/proto/ implements its generated `Server` trait and
//! calls its `dispatch` from `Handler::request` (docs/protocols.md).

use crate::channel::Channel;
use crate::error::{Error, Result};
use crate::handle::Handles;
use crate::objects::Port;
use crate::process::FOREVER;
use crate::proto::{self, name, HandleList};
use crate::sys;

/// The largest request or reply (bytes), as in C (TK_SERVICE_MAX_MSG).
pub const MAX_MSG: usize = 1024;
/// Clients one server watches at most (the rest see their channel closed).
pub const MAX_CLIENTS: usize = 64;

static mut BOOTSTRAP: Option<Channel> = None;

/// The bootstrap channel to init, taken once and kept.
fn bootstrap() -> Result<&'static Channel> {
    // Safety: a process has one thread.
    unsafe {
        if BOOTSTRAP.is_none() {
            BOOTSTRAP = Some(Channel::bootstrap()?);
        }
        Ok(BOOTSTRAP.as_ref().unwrap())
    }
}

/// A channel to service `name`, from init's name service: DENIED if this service's
/// manifest entry does not list it under `uses` (or there is no such service), NOENT if it
/// is not running now.
pub fn connect(name: &str) -> Result<Channel> {
    let mut buf = [0u8; 128];
    let rq = name::ConnectRequest { service: name.as_bytes() };
    let got = name::call_connect(bootstrap()?, rq, &mut buf)?;
    Ok(Channel::from_handle(got.channel))
}

/// Sends a request and waits for its reply: the reply's bytes, or the error a 4-byte
/// negative status reply names.
pub fn call<'a>(service: &Channel, request: &[u8], reply: &'a mut [u8]) -> Result<&'a [u8]> {
    let mut none: Handles<0> = Handles::new();
    let n = service.call(request, [], reply, &mut none, FOREVER)?;
    if n == 4 {
        let code = i32::from_le_bytes([reply[0], reply[1], reply[2], reply[3]]);
        if code < 0 {
            return Err(Error::from_code(code));
        }
    }
    Ok(&reply[..n])
}

/// Who a client is, as init named it when it connected it (trustworthy: only init
/// writes to a service's bootstrap channel).
#[derive(Clone, Copy)]
pub struct Client {
    name: [u8; 32],
    name_len: usize,
    /// the client's pid (0 if init did not say)
    pub pid: i32,
}

impl Client {
    /// The client's service name from the manifest ("init" for init itself).
    pub fn name(&self) -> &str {
        core::str::from_utf8(&self.name[..self.name_len]).unwrap_or("?")
    }

    /// Who init's note names.
    fn from_note(note: &name::ClientRequest<'_>) -> Client {
        let mut c = Client { name: [0; 32], name_len: note.name.len().min(32), pid: note.pid };
        c.name[..c.name_len].copy_from_slice(&note.name[..c.name_len]);
        c
    }
}

/// What a request handler answers.
pub enum Reply {
    /// the first n bytes of the reply buffer
    Bytes(usize),
    /// nothing: the request was a one-way message (the client reads no reply)
    Nothing,
}

/// A server's requests (see `serve`).
pub trait Handler {
    /// One request from `client`: fill `reply` and say how much to send, or an error (sent
    /// as a 4-byte status). Handles received belong to the handler.
    fn request(
        &mut self,
        client: &Client,
        request: &[u8],
        handles: &mut Handles<4>,
        reply: &mut [u8],
    ) -> Result<Reply>;

    /// A client connected (called before its first request).
    fn connected(&mut self, _client: &Client) {}

    /// A client went away (closed its channel, or sent a request too big to read).
    fn disconnected(&mut self, _client: &Client) {}

    /// How many clients are connected now (`serve` keeps it up to date).
    fn clients_changed(&mut self, _count: usize) {}
}

const BOOTSTRAP_KEY: u64 = u64::MAX;

struct Slot {
    channel: Channel,
    client: Client,
}

/// Serves clients forever: learns of each from init on the bootstrap channel, watches
/// every client channel on one port, answers each request, drops a client whose channel
/// closes. Returns only if it cannot run (no bootstrap channel, no port): the error.
pub fn serve<H: Handler>(handler: &mut H) -> Error {
    match serve_loop(handler) {
        Err(e) => e,
        Ok(never) => match never {},
    }
}

enum Never {}

fn serve_loop<H: Handler>(handler: &mut H) -> Result<Never> {
    const NONE: Option<Slot> = None;
    let mut slots: [Option<Slot>; MAX_CLIENTS] = [NONE; MAX_CLIENTS];
    let boot = bootstrap()?;
    let port = Port::create()?;
    port.watch(boot, BOOTSTRAP_KEY, sys::SIGNAL_READABLE)?;
    loop {
        let pk = match port.wait(FOREVER) {
            Ok(pk) => pk,
            Err(_) => continue,
        };
        if pk.key == BOOTSTRAP_KEY {
            new_clients(handler, &port, boot, &mut slots);
            continue;
        }
        let i = pk.key as usize;
        let alive = match &slots[i] {
            Some(slot) => requests(handler, slot),
            None => continue,
        };
        if !alive {
            let _ = port.unwatch(pk.key);
            if let Some(slot) = slots[i].take() {
                handler.disconnected(&slot.client);
            }
            handler.clients_changed(slots.iter().filter(|s| s.is_some()).count());
        }
    }
}

/// Messages from init on the bootstrap channel: new clients to watch.
fn new_clients<H: Handler>(
    handler: &mut H,
    port: &Port,
    boot: &Channel,
    slots: &mut [Option<Slot>; MAX_CLIENTS],
) {
    let mut msg = [0u8; 128];
    let mut hs: Handles<4> = Handles::new();
    while let Ok(n) = boot.read(&mut msg, &mut hs) {
        // init's `client` note; anything else is dropped, its handles closed
        let mut list = HandleList::from_handles(&mut hs);
        if proto::head(&msg[..n]) != Ok(name::CLIENT) {
            continue;
        }
        let note = match name::ClientRequest::decode(&msg[..n], &mut list) {
            Ok(note) => note,
            Err(_) => continue,
        };
        let client = Client::from_note(&note);
        let channel = Channel::from_handle(note.channel);
        let free = match slots.iter().position(|s| s.is_none()) {
            Some(i) => i,
            None => continue, // too many: dropped, so the client sees its peer closed
        };
        let signals = sys::SIGNAL_READABLE | sys::SIGNAL_PEER_CLOSED;
        if port.watch(&channel, free as u64, signals).is_err() {
            continue;
        }
        handler.connected(&client);
        slots[free] = Some(Slot { channel, client });
        handler.clients_changed(slots.iter().filter(|s| s.is_some()).count());
    }
}

/// Every request queued on a client's channel; false once the client is gone.
fn requests<H: Handler>(handler: &mut H, slot: &Slot) -> bool {
    let mut req = [0u8; MAX_MSG];
    let mut reply = [0u8; MAX_MSG];
    let mut handles: Handles<4> = Handles::new();
    loop {
        match slot.channel.read(&mut req, &mut handles) {
            Ok(n) => {
                let status = handler.request(&slot.client, &req[..n], &mut handles, &mut reply);
                let len = match status {
                    Ok(Reply::Bytes(len)) => len.min(MAX_MSG),
                    Ok(Reply::Nothing) => continue,
                    Err(e) => {
                        reply[..4].copy_from_slice(&e.code().to_le_bytes());
                        4
                    }
                };
                // A client that closed or stopped reading loses its reply, nothing else.
                let _ = slot.channel.write(&reply[..len], []);
            }
            Err(Error::BufferTooSmall) => {
                // too big: refuse it and hang up, as the C library does
                let _ = slot.channel.write(&Error::Range.code().to_le_bytes(), []);
                return false;
            }
            Err(Error::Again) => return true,
            Err(_) => return false,
        }
    }
}
