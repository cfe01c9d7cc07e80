//! The council report (issue 16): per chapter of the plan what was promised, what was done —
//! figures computed from records, each with the records it counts — and what is planned.
//!
//! The store gathers the [`ReportFacts`] a caller may see for a [`Period`] and hands them to
//! [`compute`]; nothing else makes a figure, so the page, the files, the figures API and the
//! plan scenario's test all show the same numbers. Figures leave the team only protected
//! ([`Suppression::protect`]: small counts hidden, the rest rounded), and Bibob figures leave
//! the compartment only that way.

pub mod area_change;
mod compute;
pub use compute::UNKNOWN;
pub mod effects;
pub mod published;
pub mod repeat;

use serde::{Deserialize, Serialize};
use time::{Date, Month};
use uuid::Uuid;

use crate::access::Suppression;
use crate::activity::Activity;
use crate::barrier::BarrierModelSummary;
use crate::commitment::{Commitment, CommitmentKind, CommitmentStatus};
use crate::field::VisitKind;
use crate::intervention::details::Details;
use crate::intervention::figures::Figure;
use crate::intervention::InterventionKind;
use crate::model::{iso_date, slug_enum};
use crate::validation::Problem;

pub use compute::compute;

/// The first year a report may cover.
pub const FIRST_YEAR: i32 = 2000;

/// The longest period one report covers.
pub const MAX_YEARS: u32 = 10;

/// The days a report covers, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    from: Date,
    until: Date,
}

impl Period {
    /// `from` through `until`; refused when `until` lies before `from` or the span is longer
    /// than [`MAX_YEARS`].
    pub fn new(from: Date, until: Date) -> Result<Period, Problem> {
        if until < from {
            return Err(Problem::BeforeStart);
        }
        if until.year() - from.year() > MAX_YEARS as i32
            || (until - from).whole_days() > i64::from(MAX_YEARS) * 366
        {
            return Err(Problem::PeriodTooLong {
                max_years: MAX_YEARS,
            });
        }
        Ok(Period { from, until })
    }

    /// A calendar year.
    pub fn year(year: i32) -> Result<Period, Problem> {
        let day = |m, d| {
            Date::from_calendar_date(year, m, d).map_err(|_| Problem::NotA {
                format: crate::validation::Format::WholeCount,
                given: year.to_string(),
            })
        };
        Period::new(day(Month::January, 1)?, day(Month::December, 31)?)
    }

    pub fn from(self) -> Date {
        self.from
    }

    pub fn until(self) -> Date {
        self.until
    }

    pub fn contains(self, day: Date) -> bool {
        self.from <= day && day <= self.until
    }

    /// From the first day of a month through the last day of a month.
    pub fn whole_months(self) -> bool {
        self.from.day() == 1 && self.until.next_day().is_none_or(|d| d.day() == 1)
    }
}

slug_enum!(
    /// The chapters of the report: the plan's themes and its two instruments (Bibob and the
    /// integrated controls).
    ReportChapter {
        Bibob => "bibob";
        Controls => "controles";
        Drugs => "drugs";
        Trafficking => "mensenhandel";
        RealEstate => "vastgoed";
        CareFraud => "zorgfraude";
        BusinessParks => "bedrijventerreinen";
        Rural => "buitengebied";
        Cyber => "cybercrime";
    }
);

impl ReportChapter {
    /// The catalogue theme whose commitments and activities the chapter shows.
    pub fn theme(self) -> Option<&'static str> {
        match self {
            ReportChapter::Bibob | ReportChapter::Controls => None,
            ReportChapter::Drugs => Some("drugs"),
            ReportChapter::Trafficking => Some("mensenhandel"),
            ReportChapter::RealEstate => Some("vastgoed"),
            ReportChapter::CareFraud => Some("zorgfraude"),
            ReportChapter::BusinessParks => Some("bedrijventerreinen"),
            ReportChapter::Rural => Some("buitengebied"),
            ReportChapter::Cyber => Some("cybercrime"),
        }
    }
}

slug_enum!(
    /// Who the report is for: the team (exact where the maker may see the records) or
    /// readers outside it (the council, the public: every count protected).
    ReportReaders {
        Team => "team";
        Outside => "extern";
    }
);

slug_enum!(
    /// Every figure the report computes. Its definition is presentation (`baken_app`).
    FigureKey {
        BibobScreenings => "bibob-toetsingen";
        BibobDecided => "bibob-afgerond";
        BibobRunning => "bibob-lopend";
        BibobAdviceRequests => "bibob-lbb-adviesaanvragen";
        ControlsHeld => "integrale-controles";
        ControlFindings => "bevindingen-controles";
        ControlsOnTrafficking => "controles-mensenhandel";
        Closures => "sluitingen-13b";
        ClosuresWithCare => "sluitingen-zorg-besproken";
        PoliceReports => "bestuurlijke-rapportages";
        Warnings => "waarschuwingen-13b";
        PenaltyOrders => "lasten-onder-dwangsom";
        Enforcements => "lasten-onder-bestuursdwang";
        BarriersApplied => "barrieres-toegepast";
        ParkInspections => "schouwen";
        FarmVisits => "erfbezoeken";
        FarmVisitSignals => "meldingen-uit-erfbezoeken";
        SchoolClasses => "hackshield-lessen";
        Activities => "activiteiten";
    }
);

slug_enum!(
    /// What a figure is broken down by.
    Dimension {
        DecisionKind => "soort-besluit";
        Outcome => "uitkomst";
        Trigger => "aanleiding";
        Branch => "branche";
        Partner => "partner";
        Team => "team";
        SchoolYear => "schooljaar";
        ActivityKind => "soort-activiteit";
        Model => "barrieremodel";
        Wijk => "wijk";
    }
);

/// What a report being made is doing, in order (shown to its maker while it takes long).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportStage {
    Commitments,
    Activities,
    Interventions,
    Visits,
    ThemeSignals,
    Figures,
}

impl ReportStage {
    pub const ALL: &'static [ReportStage] = &[
        ReportStage::Commitments,
        ReportStage::Activities,
        ReportStage::Interventions,
        ReportStage::Visits,
        ReportStage::ThemeSignals,
        ReportStage::Figures,
    ];

    /// Its place in the order, from 1, and how many stages there are.
    pub fn position(self) -> (usize, usize) {
        let all = Self::ALL;
        (
            all.iter()
                .position(|s| *s == self)
                .map_or(all.len(), |i| i + 1),
            all.len(),
        )
    }
}

/// Told the stage a report has reached; called from the task that makes it.
pub trait ReportProgress: Send + Sync {
    fn stage(&self, stage: ReportStage);
}

/// Nobody watches.
impl ReportProgress for () {
    fn stage(&self, _stage: ReportStage) {}
}

slug_enum!(
    /// The kind of record a figure counts (for the drill-down).
    RecordKind {
        Intervention => "interventie";
        Visit => "veldbezoek";
        Signal => "signaal";
        Activity => "activiteit";
        BarrierModel => "barrieremodel";
    }
);

/// What a report asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRequest {
    pub period: Period,
    /// The chapters to show; empty: all.
    pub chapters: Vec<ReportChapter>,
    pub readers: ReportReaders,
    pub suppression: Suppression,
    /// The calendar day it is made: protected counts only for periods that have ended.
    pub today: Date,
}

impl ReportRequest {
    pub fn shows(&self, chapter: ReportChapter) -> bool {
        self.chapters.is_empty() || self.chapters.contains(&chapter)
    }
}

/// One intervention as the report counts it: its kind, day opened, dated steps and details.
#[derive(Debug, Clone, PartialEq)]
pub struct InterventionFacts {
    pub id: Uuid,
    pub kind: InterventionKind,
    pub opened_on: Date,
    /// (step slug, day), in the order recorded.
    pub steps: Vec<(String, Date)>,
    pub details: Details,
    /// The day the first signal of its case came in (interventions on a case).
    pub case_first_signal: Option<Date>,
    /// Signals and interventions linked as what followed it.
    pub follow_ups: usize,
    /// Where it is (WGS84 latitude, longitude), when it has a place.
    pub location: Option<(f64, f64)>,
    /// The code of the wijk its place lies in, when the store knows one.
    pub wijk: Option<String>,
    /// The entities it was imposed on (its parties from dossiers).
    pub parties: Vec<Uuid>,
}

impl InterventionFacts {
    /// The first day step `step` was recorded on.
    pub fn step_on(&self, step: &str) -> Option<Date> {
        self.steps
            .iter()
            .filter(|(s, _)| s == step)
            .map(|(_, d)| *d)
            .min()
    }
}

/// One field visit: its kind, day and how many of its findings became signals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitFacts {
    pub id: Uuid,
    pub kind: VisitKind,
    pub visited_on: Date,
    pub signals: usize,
}

/// Whether a group of records may be counted exactly (with the ids counted) for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sight {
    /// The caller may see every record of the group.
    Records,
    /// The caller may see the group only as protected aggregates (outside the compartment,
    /// or a lezer).
    Aggregates,
}

/// The records a report counts, as far as the caller may see them.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportFacts {
    /// The calendar day the report is made (windows after a measure count only once over).
    pub today: Date,
    /// Visible signals on the theme of the measures (drugs) with a place, from a year before
    /// the period to two years after it — for the repeat-signal effect; empty unless the
    /// reader sees the interventions exactly.
    pub theme_signals: Vec<repeat::SignalPoint>,
    /// The interventions other than Bibob screenings, opened up to the period's end.
    pub interventions: Vec<InterventionFacts>,
    pub interventions_sight: Sight,
    /// The organisation's Bibob screenings opened up to the period's end.
    pub bibob: Vec<InterventionFacts>,
    pub bibob_sight: Sight,
    pub visits: Vec<VisitFacts>,
    pub visits_sight: Sight,
    /// Inhabitants per buurt and wijk (the latest year known): the base of the deviation
    /// index whose change after closures is an effect ([`area_change`]).
    pub bases: area_change::Bases,
    /// The codes of the wijken the store has boundaries of: measures with a place are broken
    /// down by wijk over all of them (none known: no breakdown by wijk).
    pub wijken: Vec<String>,
    pub activities: Vec<Activity>,
    pub barrier_models: Vec<BarrierModelSummary>,
    pub commitments: Vec<Commitment>,
    /// Figures published before (any period; those of the report's period are compared).
    pub published: Vec<published::PublishedFigure>,
}

/// A record a figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordRef {
    pub kind: RecordKind,
    pub id: Uuid,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BreakdownRow {
    /// The machine name of the value (a decision kind, a branch, a school year "2023/2024").
    pub value: String,
    pub count: Figure,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Breakdown {
    pub dimension: Dimension,
    pub rows: Vec<BreakdownRow>,
}

/// One figure of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportFigure {
    pub key: FigureKey,
    pub chapter: ReportChapter,
    pub count: Figure,
    /// The whole the count is part of (closures with care: of all closures), when it is one.
    pub of: Option<Figure>,
    /// Some count of this figure is protected (hidden below the threshold, or rounded).
    pub suppressed: bool,
    pub breakdowns: Vec<Breakdown>,
    /// The records counted, for a caller who may see them in a team report; `None` otherwise.
    pub records: Option<Vec<RecordRef>>,
}

/// A commitment as the report lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommitmentLine {
    pub id: Uuid,
    pub text: String,
    pub owner: String,
    #[serde(with = "iso_date::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub due_on: Option<Date>,
    pub status: CommitmentStatus,
    /// How many records show its progress.
    pub evidence: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChapterReport {
    pub chapter: ReportChapter,
    /// "Wat hadden we beloofd".
    pub promised: Vec<CommitmentLine>,
    /// "Wat hebben we gedaan".
    pub done: Vec<ReportFigure>,
    /// "Wat gaan we doen".
    pub planned: Vec<CommitmentLine>,
}

/// The report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    #[serde(with = "iso_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub from: Date,
    #[serde(with = "iso_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub until: Date,
    pub readers: ReportReaders,
    /// Counts below this are hidden where a figure is protected.
    pub threshold: u64,
    /// The Bibob figures are exact (the maker is in the compartment and the report stays in
    /// the team).
    pub bibob_exact: bool,
    pub chapters: Vec<ChapterReport>,
    pub effects: Vec<effects::Effect>,
    /// Effects of chapters asked for are left out: the reader does not see their records
    /// exactly ([`effects::withheld`]).
    pub effects_withheld: bool,
    /// Where figures published before for this period differ from the records.
    pub differences: Vec<published::Difference>,
    /// Where a publication for this period contradicts itself.
    pub contradictions: Vec<published::Contradiction>,
}

impl Report {
    /// Every figure, in chapter order.
    pub fn figures(&self) -> impl Iterator<Item = &ReportFigure> {
        self.chapters.iter().flat_map(|c| c.done.iter())
    }

    /// The figure `key`, when the report has it.
    pub fn figure(&self, key: FigureKey) -> Option<&ReportFigure> {
        self.figures().find(|f| f.key == key)
    }
}

fn line(c: &Commitment) -> CommitmentLine {
    CommitmentLine {
        id: c.id,
        text: c.text.clone(),
        owner: c.owner.clone(),
        due_on: c.due_on,
        status: c.status,
        evidence: c.links.len(),
    }
}

/// The commitments of a chapter: (promised, planned).
fn commitments(
    all: &[Commitment],
    chapter: ReportChapter,
) -> (Vec<CommitmentLine>, Vec<CommitmentLine>) {
    let Some(theme) = chapter.theme() else {
        return (Vec::new(), Vec::new());
    };
    let of = |kind| {
        all.iter()
            .filter(|c| c.theme == theme && c.kind == kind)
            .map(line)
            .collect()
    };
    (of(CommitmentKind::Promise), of(CommitmentKind::Plan))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_period_is_at_most_ten_years_and_never_backwards() {
        assert!(Period::new(date!(2024 - 01 - 01), date!(2023 - 12 - 31)).is_err());
        assert_eq!(
            Period::new(date!(2010 - 01 - 01), date!(2024 - 12 - 31)),
            Err(Problem::PeriodTooLong { max_years: 10 })
        );
        let y = Period::year(2024).unwrap();
        assert!(y.whole_months());
        assert!(!Period::new(date!(2025 - 01 - 01), date!(2025 - 03 - 07))
            .unwrap()
            .whole_months());
        assert!(y.contains(date!(2024 - 12 - 31)));
        assert!(!y.contains(date!(2025 - 01 - 01)));
    }
}

/// A report request as the edges send it (the command line, the page, the API).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct RawReportRequest {
    /// A calendar year (default: this year), unless `from` and `until` are given.
    pub year: String,
    /// First day, `JJJJ-MM-DD` or `dd-mm-jjjj`.
    pub from: String,
    /// Last day (included).
    pub until: String,
    /// Chapters, comma-separated (`drugs,bibob`); empty: all.
    pub theme: String,
    /// `team` (default) or `extern`.
    pub readers: String,
}

impl RawReportRequest {
    /// The request, each problem named by its field. A period never ends after `today`'s
    /// year; a reader of aggregates (lezer) only gets a report for outside readers.
    pub fn parse(
        &self,
        today: Date,
        suppression: Suppression,
        only_outside: bool,
    ) -> Result<ReportRequest, crate::ValidationErrors> {
        let mut e = crate::ValidationErrors::new();
        let day = |e: &mut crate::ValidationErrors, field: &str, text: &str| {
            match crate::intervention::details::dutch_or_iso_date(text.trim()) {
                Ok(d) => Some(d),
                Err(p) => {
                    e.push(field, p);
                    None
                }
            }
        };
        let year_given = !self.year.trim().is_empty();
        let period_given = !(self.from.trim().is_empty() && self.until.trim().is_empty());
        let period = match (self.from.trim(), self.until.trim()) {
            _ if year_given && period_given => {
                e.push("year", Problem::YearOrPeriod);
                None
            }
            ("", "") => {
                let year = self.year.trim();
                let y = if year.is_empty() {
                    Some(today.year())
                } else {
                    match year.parse::<i32>() {
                        Ok(y) if (FIRST_YEAR..=today.year()).contains(&y) => Some(y),
                        _ => {
                            e.push(
                                "year",
                                Problem::YearOutOfRange {
                                    first: FIRST_YEAR,
                                    last: today.year(),
                                },
                            );
                            None
                        }
                    }
                };
                y.and_then(|y| match Period::year(y) {
                    Ok(p) => Some(p),
                    Err(p) => {
                        e.push("year", p);
                        None
                    }
                })
            }
            ("", _) => {
                e.push(
                    "from",
                    Problem::Missing(crate::validation::Missing::PeriodEnd),
                );
                None
            }
            (_, "") => {
                e.push(
                    "until",
                    Problem::Missing(crate::validation::Missing::PeriodEnd),
                );
                None
            }
            (from, until) => match (day(&mut e, "from", from), day(&mut e, "until", until)) {
                (Some(f), Some(u)) => match Period::new(f, u) {
                    Ok(p) => Some(p),
                    Err(p) => {
                        e.push("until", p);
                        None
                    }
                },
                _ => None,
            },
        };
        let mut chapters = Vec::new();
        for part in self
            .theme
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match ReportChapter::parse(part) {
                Ok(c) if !chapters.contains(&c) => chapters.push(c),
                Ok(_) => {}
                Err(p) => e.push("theme", p),
            }
        }
        let readers = match self.readers.trim() {
            "" => Some(ReportReaders::Team),
            r => match ReportReaders::parse(r) {
                Ok(r) => Some(r),
                Err(p) => {
                    e.push("readers", p);
                    None
                }
            },
        };
        match (period, readers) {
            (Some(period), Some(readers)) if e.is_empty() => Ok(ReportRequest {
                period,
                chapters,
                readers: if only_outside {
                    ReportReaders::Outside
                } else {
                    readers
                },
                suppression,
                today,
            }),
            _ => Err(e),
        }
    }
}
