//! Pages of a list at any depth: keyset (cursor) pagination over a list ordered newest first
//! by (time, id), and totals that are exact up to a bound and otherwise say "more than".

use time::OffsetDateTime;
use uuid::Uuid;

/// A place in a list ordered newest first by (time, id): the item it was taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    at: OffsetDateTime,
    id: Uuid,
}

/// Which side of a cursor a page lies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The items after it (older).
    After,
    /// The items before it (newer).
    Before,
}

/// What a caller asks for: the page size and where the page begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub size: u32,
    /// `None`: the first page.
    pub from: Option<(Side, Cursor)>,
}

/// How many items a list holds: exactly, or at least the bound (counting further would
/// cost a walk over everything).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Total {
    Exact(u64),
    AtLeast(u64),
}

/// One page of a list and the cursors of its neighbours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub size: u32,
    pub total: Total,
    /// The next (older) page, if there is one.
    pub next: Option<Cursor>,
    /// The previous (newer) page, if there is one.
    pub previous: Option<Cursor>,
}

impl Cursor {
    /// The longest token there is ("n" + "-" + 16 hex digits + "." + 32 hex digits).
    const MAX_TOKEN: usize = 51;

    pub fn new(at: OffsetDateTime, id: Uuid) -> Self {
        Self { at, id }
    }

    /// The place of an item in a list ordered by calendar day (its day at midnight UTC).
    pub fn on_day(day: time::Date, id: Uuid) -> Self {
        Self {
            at: day.midnight().assume_utc(),
            id,
        }
    }

    pub fn at(&self) -> OffsetDateTime {
        self.at
    }

    pub fn id(&self) -> Uuid {
        self.id
    }

    /// The opaque text form for links and the API: the side and the place.
    pub fn token(&self, side: Side) -> String {
        let micros = self.at.unix_timestamp_nanos() / 1_000;
        let prefix = match side {
            Side::After => 'n',
            Side::Before => 'p',
        };
        // A day before 1970 (a typed meeting or activity date) has a negative time.
        let sign = if micros < 0 { "-" } else { "" };
        format!(
            "{prefix}{sign}{:x}.{}",
            micros.unsigned_abs(),
            self.id.simple()
        )
    }

    /// Reads a token made by [`Cursor::token`]; anything else is `None`.
    pub fn parse(token: &str) -> Option<(Side, Cursor)> {
        if token.len() > Self::MAX_TOKEN || !token.is_ascii() {
            return None;
        }
        let side = match token.as_bytes().first()? {
            b'n' => Side::After,
            b'p' => Side::Before,
            _ => return None,
        };
        let (micros, id) = token.get(1..)?.split_once('.')?;
        let (negative, micros) = match micros.strip_prefix('-') {
            Some(digits) => (true, digits),
            None => (false, micros),
        };
        if micros.is_empty() || micros.len() > 16 || id.len() != 32 || micros.starts_with('+') {
            return None;
        }
        let micros = i128::from(u64::from_str_radix(micros, 16).ok()?);
        let micros = if negative { -micros } else { micros };
        let at = OffsetDateTime::from_unix_timestamp_nanos(micros * 1_000).ok()?;
        let id = Uuid::try_parse(id).ok()?;
        Some((side, Cursor { at, id }))
    }
}

impl PageRequest {
    pub const MAX_SIZE: u32 = 100;
    pub const DEFAULT_SIZE: u32 = 25;
    /// The first 500: what the pages and the command line list at once (the API pages).
    pub const LONG_LIST: PageRequest = PageRequest {
        size: 500,
        from: None,
    };

    pub fn first(size: u32) -> Self {
        Self { size, from: None }
    }

    /// The page a list's `cursor` and `pageSize` parameters ask for; what is wrong with them
    /// goes into `e`, named.
    pub fn parse(
        (cursor, size): (Option<&str>, Option<&str>),
        e: &mut crate::validation::ValidationErrors,
    ) -> PageRequest {
        use crate::validation::Problem;
        let mut page = PageRequest::default();
        if let Some(token) = cursor.map(str::trim).filter(|t| !t.is_empty()) {
            match Cursor::parse(token) {
                Some(from) => page.from = Some(from),
                None => e.push("cursor", Problem::Cursor),
            }
        }
        if let Some(p) = size.map(str::trim).filter(|p| !p.is_empty()) {
            match p.parse::<u32>() {
                Ok(n) if (1..=Self::MAX_SIZE).contains(&n) => page.size = n,
                _ => e.push(
                    "pageSize",
                    Problem::PageSize {
                        max: Self::MAX_SIZE,
                    },
                ),
            }
        }
        page
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::first(Self::DEFAULT_SIZE)
    }
}

impl Total {
    /// Up to how many items a list is counted exactly when the kept counts cannot answer
    /// (a search, overdue): beyond a thousand, the exact number helps no one paging through
    /// and counting it would cost a walk over everything.
    pub const BOUND: u64 = 1_000;

    /// The total from a count that stopped after `BOUND + 1` items.
    pub fn from_bounded(counted: u64) -> Self {
        if counted > Self::BOUND {
            Total::AtLeast(Self::BOUND)
        } else {
            Total::Exact(counted)
        }
    }

    /// The number: exact, or the bound the list exceeds.
    pub fn count(&self) -> u64 {
        match self {
            Total::Exact(n) | Total::AtLeast(n) => *n,
        }
    }

    pub fn is_lower_bound(&self) -> bool {
        matches!(self, Total::AtLeast(_))
    }
}

impl<T> Page<T> {
    /// A page from the rows a query returned: up to `size + 1` of them in list order, read
    /// from `request`'s side of its cursor (the extra row says whether there is more that
    /// way). `place` gives an item's place in the list.
    pub fn from_rows(
        mut rows: Vec<T>,
        request: PageRequest,
        total: Total,
        place: impl Fn(&T) -> Cursor,
    ) -> Self {
        let size = request.size as usize;
        let more = rows.len() > size;
        let (next, previous);
        match request.from {
            None | Some((Side::After, _)) => {
                rows.truncate(size);
                next = if more { rows.last().map(&place) } else { None };
                previous = match request.from {
                    None => None,
                    Some(_) => rows.first().map(&place),
                };
            }
            Some((Side::Before, _)) => {
                // Read nearest first (ascending): keep the nearest `size`, then list order.
                rows.truncate(size);
                rows.reverse();
                previous = if more { rows.first().map(&place) } else { None };
                next = rows.last().map(&place);
            }
        }
        Page {
            items: rows,
            size: request.size,
            total,
            next,
            previous,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_token_reads_back_as_it_was_made(micros in -60_000_000_000_000_000i64..4_000_000_000_000_000, id in any::<u128>(), after in any::<bool>()) {
            let at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1000).unwrap();
            let cursor = Cursor::new(at, Uuid::from_u128(id));
            let side = if after { Side::After } else { Side::Before };
            prop_assert_eq!(Cursor::parse(&cursor.token(side)), Some((side, cursor)));
        }

        #[test]
        fn any_text_is_read_without_panicking(text in ".{0,80}") {
            let _ = Cursor::parse(&text);
        }
    }

    #[test]
    fn other_tokens_are_refused() {
        for token in [
            "",
            "n",
            "x1.00000000000000000000000000000000",
            "n.00000000000000000000000000000000",
            "n1.000",
            "n1ffffffffffffffff.00000000000000000000000000000000",
            "nzz.00000000000000000000000000000000",
            "n-.00000000000000000000000000000000",
            "n--1.00000000000000000000000000000000",
            "n+1.00000000000000000000000000000000",
            "n1.0000000000000000000000000000000g",
        ] {
            assert_eq!(Cursor::parse(token), None, "{token}");
        }
    }

    fn at(n: i64) -> Cursor {
        Cursor::new(
            OffsetDateTime::from_unix_timestamp(1_700_000_000 - n).unwrap(),
            Uuid::from_u128(n as u128),
        )
    }

    #[test]
    fn pages_link_to_their_neighbours() {
        let first = Page::from_rows(vec![0, 1, 2], PageRequest::first(2), Total::Exact(5), |n| {
            at(*n)
        });
        assert_eq!(first.items, vec![0, 1]);
        assert_eq!((first.previous, first.next), (None, Some(at(1))));
        let second = Page::from_rows(
            vec![2, 3, 4],
            PageRequest {
                size: 2,
                from: Some((Side::After, at(1))),
            },
            Total::Exact(5),
            |n| at(*n),
        );
        assert_eq!((second.previous, second.next), (Some(at(2)), Some(at(3))));
        let last = Page::from_rows(
            vec![4],
            PageRequest {
                size: 2,
                from: Some((Side::After, at(3))),
            },
            Total::Exact(5),
            |n| at(*n),
        );
        assert_eq!((last.previous, last.next), (Some(at(4)), None));
        // Back from the last page: read nearest first.
        let back = Page::from_rows(
            vec![3, 2, 1],
            PageRequest {
                size: 2,
                from: Some((Side::Before, at(4))),
            },
            Total::Exact(5),
            |n| at(*n),
        );
        assert_eq!(back.items, vec![2, 3]);
        assert_eq!((back.previous, back.next), (Some(at(2)), Some(at(3))));
        let top = Page::from_rows(
            vec![1, 0],
            PageRequest {
                size: 2,
                from: Some((Side::Before, at(2))),
            },
            Total::Exact(5),
            |n| at(*n),
        );
        assert_eq!(top.items, vec![0, 1]);
        assert_eq!((top.previous, top.next), (None, Some(at(1))));
    }

    #[test]
    fn totals_are_exact_up_to_the_bound() {
        assert_eq!(Total::from_bounded(1_000), Total::Exact(1_000));
        assert_eq!(Total::from_bounded(1_001), Total::AtLeast(1_000));
    }
}
