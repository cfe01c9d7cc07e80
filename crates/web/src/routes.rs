//! The route table: every route is added through [`Routes`], which keeps the method and path
//! beside the axum router, so that what the application serves can be listed
//! ([`crate::route_table`]) — the authorisation matrix test is generated from it, and a route
//! without an entry there fails that test.

use axum::extract::Request;
use axum::handler::Handler;
use axum::response::IntoResponse;
use axum::Router;
use std::convert::Infallible;
use tower_layer::Layer;
use tower_service::Service;

use crate::AppState;

/// The HTTP methods Baken serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verb {
    Get,
    Post,
}

impl Verb {
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
        }
    }
}

/// One route: a method and a path pattern as axum reads it (`/signalen/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Route {
    pub verb: Verb,
    pub path: String,
}

/// An axum router that keeps its own table of routes.
pub struct Routes {
    router: Router<AppState>,
    table: Vec<Route>,
}

impl Default for Routes {
    fn default() -> Self {
        Self::new()
    }
}

impl Routes {
    pub fn new() -> Self {
        Routes {
            router: Router::new(),
            table: Vec::new(),
        }
    }

    fn add(mut self, verb: Verb, path: &str) -> Self {
        self.table.push(Route {
            verb,
            path: path.to_string(),
        });
        self
    }

    pub fn get<H, T>(self, path: &str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let mut out = self.add(Verb::Get, path);
        out.router = out.router.route(path, axum::routing::get(handler));
        out
    }

    pub fn post<H, T>(self, path: &str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let mut out = self.add(Verb::Post, path);
        out.router = out.router.route(path, axum::routing::post(handler));
        out
    }

    /// Wraps the routes so far in `layer` (it adds no route, so the table stays as it is).
    pub fn layer<L>(mut self, layer: L) -> Self
    where
        L: Layer<axum::routing::Route> + Clone + Send + Sync + 'static,
        L::Service: Service<Request> + Clone + Send + Sync + 'static,
        <L::Service as Service<Request>>::Response: IntoResponse + 'static,
        <L::Service as Service<Request>>::Error: Into<Infallible> + 'static,
        <L::Service as Service<Request>>::Future: Send + 'static,
    {
        self.router = self.router.layer(layer);
        self
    }

    /// What answers a path none of the routes has (a 404 of its own kind).
    pub fn fallback<H, T>(mut self, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.fallback(handler);
        self
    }

    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.table.extend(other.table);
        self
    }

    /// `other`'s routes under `prefix`.
    pub fn nest(mut self, prefix: &str, other: Routes) -> Self {
        self.router = self.router.nest(prefix, other.router);
        self.table.extend(other.table.into_iter().map(|r| Route {
            verb: r.verb,
            path: format!("{prefix}{}", r.path),
        }));
        self
    }

    pub fn table(&self) -> &[Route] {
        &self.table
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}
