//! Just enough HTTP/1.1 for logs and witnesses on a local network: `GET` of tiles and
//! checkpoints, and a one-request-at-a-time server for the witness API. Plain HTTP only:
//! a log served over TLS is read through any static mirror or a local proxy.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

/// The largest response body or request body accepted.
pub const MAX_BODY: usize = 16 * 1024 * 1024;
const TIMEOUT: Duration = Duration::from_secs(30);

/// Opens a connection for `url` (`http://host[:port]/path`): the stream, host and path.
fn connect(url: &str) -> Result<(TcpStream, String, String), String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("{url}: only http:// URLs are supported"))?;
    let (host, path) =
        rest.split_once('/').map_or((rest, "/".to_owned()), |(h, p)| (h, format!("/{p}")));
    let address = if host.contains(':') { host.to_owned() } else { format!("{host}:80") };
    let stream = TcpStream::connect(&address).map_err(|e| format!("{url}: {e}"))?;
    stream.set_read_timeout(Some(TIMEOUT)).map_err(|e| e.to_string())?;
    Ok((stream, host.to_owned(), path))
}

/// GETs `url` (`http://host[:port]/path`) and returns the body of a 200 response.
pub fn get(url: &str) -> Result<Vec<u8>, String> {
    let (mut stream, host, path) = connect(url)?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nAccept-Encoding: identity\r\n\r\n")
        .map_err(|e| format!("{url}: {e}"))?;
    let (status, body) =
        read_message(&mut BufReader::new(stream), false).map_err(|e| format!("{url}: {e}"))?;
    if status.split(' ').nth(1) != Some("200") {
        return Err(format!("{url}: {status}"));
    }
    Ok(body)
}

/// Reads a start line, headers and a Content-Length body (or to end of stream).
/// A request without Content-Length has no body; a response without one runs to the end.
fn read_message(reader: &mut impl BufRead, is_request: bool) -> Result<(String, Vec<u8>), String> {
    let mut start = String::new();
    reader.read_line(&mut start).map_err(|e| e.to_string())?;
    let mut length: Option<usize> = None;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).map_err(|e| e.to_string())?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = Some(value.trim().parse().map_err(|_| "bad Content-Length".to_owned())?);
            }
        }
    }
    let mut body = Vec::new();
    match length {
        Some(n) if n > MAX_BODY => return Err(format!("a body of {n} bytes is over the limit")),
        Some(n) => {
            body.resize(n, 0);
            reader.read_exact(&mut body).map_err(|e| e.to_string())?;
        }
        None if is_request => {}
        None => {
            reader.take(MAX_BODY as u64 + 1).read_to_end(&mut body).map_err(|e| e.to_string())?;
            if body.len() > MAX_BODY {
                return Err("the body is over the limit".into());
            }
        }
    }
    Ok((start.trim_end().to_owned(), body))
}

/// A request the server received.
pub struct Request {
    /// `POST`, `GET`, …
    pub method: String,
    /// The path, e.g. `/add-checkpoint`.
    pub path: String,
    /// The body.
    pub body: Vec<u8>,
}

/// Serves requests one at a time, forever (or until `handler` says stop by returning `None`
/// for the status). `handler` returns (status code, content type, body).
pub fn serve(
    listener: &TcpListener,
    handler: &mut dyn FnMut(Request) -> Option<(u16, &'static str, Vec<u8>)>,
) -> Result<(), String> {
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        let _ = stream.set_read_timeout(Some(TIMEOUT));
        let parsed = {
            let mut reader = BufReader::new(&mut stream);
            read_message(&mut reader, true)
        };
        let (status, kind, body) = match parsed {
            Ok((start, body)) => {
                let mut parts = start.split(' ');
                let request = Request {
                    method: parts.next().unwrap_or_default().to_owned(),
                    path: parts.next().unwrap_or_default().to_owned(),
                    body,
                };
                match handler(request) {
                    Some(response) => response,
                    None => return Ok(()),
                }
            }
            Err(e) => (400, "text/plain", format!("{e}\n").into_bytes()),
        };
        let reason = match status {
            200 => "OK",
            400 => "Bad Request",
            404 => "Not Found",
            405 => "Method Not Allowed",
            409 => "Conflict",
            422 => "Unprocessable Entity",
            _ => "Error",
        };
        let head = format!("HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
        let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body));
    }
    Ok(())
}

/// POSTs `body` to `url` and returns (status code, body).
pub fn post(url: &str, body: &[u8]) -> Result<(u16, Vec<u8>), String> {
    let (mut stream, host, path) = connect(url)?;
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .and_then(|()| stream.write_all(body))
    .map_err(|e| format!("{url}: {e}"))?;
    let (status, body) = read_message(&mut BufReader::new(stream), false)?;
    let code = status.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    Ok((code, body))
}
