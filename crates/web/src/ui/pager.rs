//! Moving through a keyset-paged list on a page of its own (cases, interventions, meetings,
//! activities): the page a link's `cursor` asks for, and the links to the first, previous and
//! next pages.

use baken_core::page::{Cursor, Page, PageRequest, Side};
use serde::Deserialize;

/// How many rows such a page shows.
pub(crate) const ROWS: u32 = 50;

/// A list page's query: only where it begins.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct CursorQuery {
    #[serde(default)]
    cursor: Option<String>,
}

impl CursorQuery {
    /// The page asked for: the first without a cursor, `None` for a cursor that no list made.
    pub(crate) fn page(&self) -> Option<PageRequest> {
        requested(self.cursor.as_deref())
    }
}

/// The page a list page's `cursor` parameter asks for: the first without one, `None` for a
/// cursor that no list made.
pub(crate) fn requested(cursor: Option<&str>) -> Option<PageRequest> {
    let from = match cursor.map(str::trim) {
        None | Some("") => None,
        Some(token) => Some(Cursor::parse(token)?),
    };
    Some(PageRequest { size: ROWS, from })
}

/// The links around one page of a list at `path`, and the list's size in words.
pub(crate) struct Pager {
    pub(crate) first: Option<String>,
    pub(crate) previous: Option<String>,
    pub(crate) next: Option<String>,
    pub(crate) total: String,
    /// A page asked for by a cursor that holds nothing (the list changed since the link was
    /// made): "no more", not "none".
    pub(crate) past_end: bool,
}

impl Pager {
    /// For `page` of the list at `list` (a path, with the list's own parameters if any),
    /// whose items are called `one` and `many`.
    pub(crate) fn of<T>(
        list: &str,
        (page, asked): (&Page<T>, PageRequest),
        (one, many): (&str, &str),
    ) -> Self {
        let join = if list.contains('?') { '&' } else { '?' };
        let at = |cursor: Cursor, side: Side| format!("{list}{join}cursor={}", cursor.token(side));
        let paged = asked.from.is_some();
        Pager {
            first: (paged || page.previous.is_some()).then(|| list.to_string()),
            past_end: paged && page.items.is_empty(),
            previous: page.previous.map(|c| at(c, Side::Before)),
            next: page.next.map(|c| at(c, Side::After)),
            total: baken_app::wording::total_of(page.total, one, many),
        }
    }

    /// Whether there is any other page to go to.
    pub(crate) fn leads_anywhere(&self) -> bool {
        self.first.is_some() || self.previous.is_some() || self.next.is_some()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use baken_core::page::Total;
    use time::macros::datetime;
    use uuid::Uuid;

    fn page(previous: bool, next: bool) -> Page<u8> {
        let cursor = Cursor::new(datetime!(2025-03-10 0:00 UTC), Uuid::nil());
        Page {
            items: vec![1, 2],
            size: ROWS,
            total: Total::Exact(120),
            next: next.then_some(cursor),
            previous: previous.then_some(cursor),
        }
    }

    #[test]
    fn links_keep_the_list_s_own_parameters() {
        let token = Cursor::new(datetime!(2025-03-10 0:00 UTC), Uuid::nil());
        let deeper = PageRequest {
            size: ROWS,
            from: Some((Side::After, token)),
        };
        let first = PageRequest::first(ROWS);
        let p = Pager::of(
            "/casussen?alle=1",
            (&page(true, true), deeper),
            ("casus", "casussen"),
        );
        assert_eq!(p.first.as_deref(), Some("/casussen?alle=1"));
        assert_eq!(
            p.previous,
            Some(format!(
                "/casussen?alle=1&cursor={}",
                token.token(Side::Before)
            ))
        );
        assert_eq!(
            p.next,
            Some(format!(
                "/casussen?alle=1&cursor={}",
                token.token(Side::After)
            ))
        );
        assert_eq!(p.total, "120 casussen");
        // The first page has no way back; the last none forward.
        let p = Pager::of(
            "/overleggen",
            (&page(false, true), first),
            ("overleg", "overleggen"),
        );
        assert_eq!((p.first, p.previous), (None, None));
        assert!(p.next.unwrap().starts_with("/overleggen?cursor=n"));
        let p = Pager::of(
            "/overleggen",
            (&page(true, false), deeper),
            ("overleg", "overleggen"),
        );
        assert!(p.next.is_none());
        // A link made before the list changed, to a page that now holds nothing: back to the
        // first page, and "no more" rather than "none".
        let mut emptied = page(false, false);
        emptied.items.clear();
        let p = Pager::of("/overleggen", (&emptied, deeper), ("overleg", "overleggen"));
        assert!(p.past_end && p.leads_anywhere());
        assert_eq!(p.first.as_deref(), Some("/overleggen"));
        let p = Pager::of("/overleggen", (&emptied, first), ("overleg", "overleggen"));
        assert!(!p.past_end && !p.leads_anywhere());
    }

    #[test]
    fn a_cursor_no_list_made_is_no_page() {
        let asked = |cursor: Option<&str>| requested(cursor);
        assert_eq!(asked(None), Some(PageRequest::first(ROWS)));
        assert_eq!(asked(Some("  ")), Some(PageRequest::first(ROWS)));
        assert_eq!(asked(Some("nergens")), None);
        let token = Cursor::new(datetime!(2025-03-10 0:00 UTC), Uuid::nil()).token(Side::After);
        assert_eq!(
            asked(Some(&token)).unwrap().from.map(|(s, _)| s),
            Some(Side::After)
        );
    }
}
