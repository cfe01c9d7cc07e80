//! A dossier's time line: what happened, newest first — signals received, cases opened, the case
//! table's decisions on them, field visits and inspections at the address, relations that began
//! or ended — and the areas it lies in; only what the caller may see (the store gave nothing
//! else).

use baken_app::labels::Label;
use baken_store::Dossier;
use time::Date;

/// One dated entry.
pub(crate) struct TimelineEntry {
    pub(crate) date: String,
    pub(crate) what: &'static str,
    pub(crate) text: String,
    pub(crate) href: Option<String>,
    on: Date,
}

/// The entries of `d`, newest first; `title` names the dossier in relation sentences.
pub(crate) fn entries(d: &Dossier, title: &str) -> Vec<TimelineEntry> {
    let mut out = Vec::new();
    for s in &d.signals {
        let on = baken_core::calendar::local_date(s.received_at);
        out.push(TimelineEntry {
            date: crate::ui::date_text(on),
            what: "Signaal",
            text: format!("{} ({})", s.title, s.owner_org_name),
            href: Some(format!("/signalen/{}", s.id)),
            on,
        });
    }
    for c in &d.cases {
        let on = baken_core::calendar::local_date(c.created_at);
        out.push(TimelineEntry {
            date: crate::ui::date_text(on),
            what: "Casus",
            text: format!("{} ({}; {})", c.title, c.status.label(), c.owner_org_name),
            href: Some(format!("/casussen/{}", c.id)),
            on,
        });
    }
    for decision in &d.decisions {
        let case = d.cases.iter().find(|c| c.id == decision.case_id);
        let approaches: Vec<&str> = decision.approaches.iter().map(|a| a.label()).collect();
        out.push(TimelineEntry {
            date: crate::ui::date_text(decision.decided_on),
            what: "Besluit casustafel",
            text: format!(
                "{} ({}; casus {}){}",
                decision.decision,
                approaches.join(", "),
                case.map_or("", |c| c.title.as_str()),
                if decision.superseded_by.is_some() {
                    "; later vervangen"
                } else {
                    ""
                }
            ),
            href: Some(format!(
                "/casussen/{}#besluit-{}",
                decision.case_id, decision.id
            )),
            on: decision.decided_on,
        });
    }
    for i in &d.interventions {
        out.push(TimelineEntry {
            date: crate::ui::date_text(i.opened_on),
            what: i.kind.label(),
            text: format!(
                "{} ({})",
                i.title,
                baken_app::labels::procedure_label(
                    i.kind,
                    baken_app::labels::ProcedureWord::State,
                    i.state
                )
            ),
            href: Some(format!("/interventies/{}", i.id)),
            on: i.opened_on,
        });
    }
    for v in &d.visits {
        let place = v
            .object_name
            .as_deref()
            .or(v.location.as_deref())
            .unwrap_or("");
        let findings = match v.findings {
            0 => "geen bevindingen".to_string(),
            1 => "1 bevinding".to_string(),
            n => format!("{n} bevindingen"),
        };
        out.push(TimelineEntry {
            date: crate::ui::date_text(v.visited_on),
            what: v.kind.label(),
            text: format!("{place}, door {}: {findings}", v.by_name),
            href: Some(format!("/veld/{}", v.id)),
            on: v.visited_on,
        });
    }
    for r in &d.related {
        let sentence = if r.outgoing {
            format!("{title} {} {}", r.relation.label(), r.display)
        } else {
            format!("{} {} {title}", r.display, r.relation.label())
        };
        for (on, what) in [(r.valid_from, "Begin"), (r.valid_until, "Einde")] {
            if let Some(on) = on {
                out.push(TimelineEntry {
                    date: crate::ui::date_text(on),
                    what,
                    text: sentence.clone(),
                    href: Some(format!("/dossiers/{}", r.subject)),
                    on,
                });
            }
        }
    }
    out.sort_by_key(|e| std::cmp::Reverse(e.on));
    out
}

/// The areas the dossier's signals were placed in, each once, as (code, "name (kind)").
pub(crate) fn areas(d: &Dossier) -> Vec<(String, String)> {
    let mut seen = std::collections::BTreeMap::new();
    for a in d.signals.iter().flat_map(|s| &s.areas) {
        seen.entry((a.kind, a.code.clone())).or_insert_with(|| {
            format!(
                "{} ({})",
                a.name.clone().unwrap_or_else(|| a.code.clone()),
                a.kind.label().to_lowercase()
            )
        });
    }
    seen.into_iter()
        .map(|((_, code), text)| (code, text))
        .collect()
}
