//! Who is on the other end of a connection. Directly connected clients are their socket's
//! address; behind a reverse proxy the operator names in the configuration
//! (`trusted_proxies`), the client is the right-most `X-Forwarded-For` entry that is not
//! itself a trusted proxy. Nothing else may set the address: a header from an untrusted peer
//! is ignored, so a client cannot pick its own address to escape a limit.

use crate::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use ipnet::IpNet;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

/// At most this many `X-Forwarded-For` entries are looked at (a longer chain is no
/// configuration anyone runs; the rest is ignored).
const MAX_HOPS: usize = 16;

/// The reverse proxies whose `X-Forwarded-For` Baken believes.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "Vec<String>")]
pub struct TrustedProxies(Vec<IpNet>);

impl TryFrom<Vec<String>> for TrustedProxies {
    type Error = ProxyError;

    fn try_from(entries: Vec<String>) -> Result<Self, ProxyError> {
        Self::parse(&entries)
    }
}

/// A `trusted_proxies` entry that is neither an address nor a network.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("trusted_proxies: '{0}' is geen IP-adres of netwerk (zoals 10.0.0.1 of 10.0.0.0/24)")]
pub struct ProxyError(String);

impl TrustedProxies {
    /// Parses addresses (`10.0.0.1`, `::1`) and networks (`10.0.0.0/24`).
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Result<Self, ProxyError> {
        entries
            .iter()
            .map(|e| {
                let e = e.as_ref().trim();
                e.parse::<IpNet>()
                    .or_else(|_| e.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| ProxyError(e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client's address for a connection from `peer` carrying `headers`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let mut hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect();
        hops.reverse();
        let mut client = peer;
        for hop in hops.into_iter().take(MAX_HOPS) {
            match hop.trim().parse::<IpAddr>() {
                Ok(ip) => {
                    client = ip;
                    if !self.trusts(ip) {
                        break;
                    }
                }
                // What the nearest trusted proxy could not vouch for is not an address.
                Err(_) => break,
            }
        }
        client
    }
}

/// The client's address (see the module). Requests without connection information (none in
/// a served application) count as the unspecified address.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub IpAddr);

impl ClientAddress {
    pub(crate) fn of(parts: &Parts, state: &AppState) -> Self {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([0, 0, 0, 0]), |ci| ci.0.ip());
        Self(state.config.trusted_proxies.client(peer, &parts.headers))
    }
}

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        Ok(Self::of(parts, state))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    #[test]
    fn only_a_trusted_proxy_names_the_client() {
        let proxies = TrustedProxies::parse(&["10.0.0.1", "172.16.0.0/12"]).unwrap();
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let stranger: IpAddr = "198.51.100.7".parse().unwrap();
        let forwarded = headers(&["203.0.113.9"]);
        assert_eq!(
            proxies.client(proxy, &forwarded),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        assert_eq!(proxies.client(stranger, &forwarded), stranger);
        assert_eq!(TrustedProxies::default().client(proxy, &forwarded), proxy);
    }

    #[test]
    fn the_client_is_the_right_most_untrusted_hop() {
        let proxies = TrustedProxies::parse(&["10.0.0.1", "172.16.0.0/12"]).unwrap();
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        // The client made up the first entry; the proxies appended the rest.
        let chain = headers(&["1.2.3.4, 203.0.113.9", "172.16.5.5"]);
        assert_eq!(
            proxies.client(proxy, &chain),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        let garbage = headers(&["203.0.113.9, zomaar"]);
        assert_eq!(proxies.client(proxy, &garbage), proxy);
        assert_eq!(proxies.client(proxy, &HeaderMap::new()), proxy);
    }

    #[test]
    fn entries_that_are_no_address_are_named() {
        assert_eq!(
            TrustedProxies::parse(&["10.0.0.0/24", "proxy.intern"]).unwrap_err(),
            ProxyError("proxy.intern".into())
        );
        assert!(TrustedProxies::parse(&["::1", "fd00::/8"]).is_ok());
    }
}
