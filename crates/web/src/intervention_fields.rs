//! The details of each kind of intervention as form fields (to fill in and to read back),
//! and the form read back into [`RawDetails`]. One list per kind: the form, the read view
//! and the names the API uses are the same.

use baken_app::labels::Label;
use baken_core::intervention::details::{
    BibobDecisionKind, BibobOutcome, BibobTrigger, Branch, ClosureGround, ControlFocus,
    ControlPartner, ControlTeam, LbbConclusion, LegalBasis, OwnInvestigationResult, PenaltyUnit,
    PremisesKind, RawDetails, ReferralRecipient,
};
use baken_core::intervention::InterventionKind;
use baken_core::model::Slug;
use baken_core::ValidationErrors;

use crate::ui::{Form, SelectOption};

/// How a field is filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InputKind {
    Text,
    Area,
    /// One entry per line.
    Lines,
    Select,
    Checks,
}

pub(crate) struct FieldView {
    pub(crate) name: &'static str,
    pub(crate) label: &'static str,
    pub(crate) hint: &'static str,
    pub(crate) input: InputKind,
    pub(crate) value: String,
    pub(crate) options: Vec<SelectOption>,
    pub(crate) error: Option<String>,
}

impl FieldView {
    pub(crate) fn is_text(&self) -> bool {
        self.input == InputKind::Text
    }
    pub(crate) fn is_area(&self) -> bool {
        matches!(self.input, InputKind::Area | InputKind::Lines)
    }
    pub(crate) fn is_select(&self) -> bool {
        self.input == InputKind::Select
    }
    pub(crate) fn is_checks(&self) -> bool {
        self.input == InputKind::Checks
    }

    /// The value as a reader sees it.
    pub(crate) fn shown(&self) -> String {
        match self.input {
            InputKind::Select | InputKind::Checks => self
                .options
                .iter()
                .filter(|o| o.selected && !o.value.is_empty())
                .map(|o| o.label.clone())
                .collect::<Vec<_>>()
                .join(", "),
            _ => self.value.clone(),
        }
    }
}

fn text(name: &'static str, label: &'static str, value: &str) -> FieldView {
    FieldView {
        name,
        label,
        hint: "",
        input: InputKind::Text,
        value: value.to_string(),
        options: Vec::new(),
        error: None,
    }
}

fn area(name: &'static str, label: &'static str, value: &str) -> FieldView {
    FieldView {
        input: InputKind::Area,
        ..text(name, label, value)
    }
}

fn lines(
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    value: &[String],
) -> FieldView {
    FieldView {
        hint,
        input: InputKind::Lines,
        ..text(name, label, &value.join("\n"))
    }
}

fn select<T: Slug + Label>(name: &'static str, label: &'static str, value: &str) -> FieldView {
    let mut options = vec![SelectOption {
        value: String::new(),
        label: "(nog niet bekend)".into(),
        selected: value.trim().is_empty(),
    }];
    options.extend(T::all().iter().map(|v| SelectOption {
        value: v.slug().to_string(),
        label: v.label().to_string(),
        selected: v.slug() == value.trim(),
    }));
    FieldView {
        input: InputKind::Select,
        options,
        ..text(name, label, value)
    }
}

fn yes_no(name: &'static str, label: &'static str, value: &str) -> FieldView {
    let options = [("", "(nog niet bekend)"), ("ja", "Ja"), ("nee", "Nee")]
        .into_iter()
        .map(|(v, l)| SelectOption {
            value: v.into(),
            label: l.into(),
            selected: v == value.trim(),
        })
        .collect();
    FieldView {
        input: InputKind::Select,
        options,
        ..text(name, label, value)
    }
}

fn checks<T: Slug + Label>(
    name: &'static str,
    label: &'static str,
    chosen: &[String],
) -> FieldView {
    FieldView {
        input: InputKind::Checks,
        options: T::all()
            .iter()
            .map(|v| SelectOption {
                value: v.slug().to_string(),
                label: v.label().to_string(),
                selected: chosen.iter().any(|c| c == v.slug()),
            })
            .collect(),
        ..text(name, label, "")
    }
}

const DRUGS_HINT: &str = "Eén per regel: middel en hoeveelheid, bijvoorbeeld 'hennepplanten 450 planten' of 'cocaïne 60 gram'. Middelen: cannabis (ook wiet of hasj), hennepplanten, cocaïne, heroïne, amfetamine (ook speed), xtc (ook mdma), grondstoffen, overig.";
const FORFEIT_HINT: &str = "Eén per regel: datum en bedrag, bijvoorbeeld '01-03-2025 € 1.500'.";
const FINDINGS_HINT: &str = "Eén per regel: partner en bevinding, bijvoorbeeld 'nla: twee werknemers zonder tewerkstellingsvergunning'. Partners: gemeente, politie, douane, nla, nvwa, omgevingsdienst, rdw, uwv, belastingdienst, brandweer, reakt, overig.";

/// The fields of `kind`'s details, filled with `raw`, each with its problem from `errors`.
pub(crate) fn detail_fields(
    kind: InterventionKind,
    raw: &RawDetails,
    errors: &ValidationErrors,
) -> Vec<FieldView> {
    use InterventionKind as K;
    let mut fields = match kind {
        K::Bibob => vec![
            select::<BibobDecisionKind>("decisionKind", "Soort beschikking", &raw.decision_kind),
            select::<BibobTrigger>("trigger", "Aanleiding", &raw.trigger),
            text(
                "applicationRef",
                "Zaaknummer van de aanvraag",
                &raw.application_ref,
            ),
            select::<OwnInvestigationResult>(
                "ownResult",
                "Uitkomst eigen onderzoek",
                &raw.own_result,
            ),
            select::<LbbConclusion>(
                "lbbGroundA",
                "Conclusie LBB, grond a (voordelen uit strafbare feiten benutten)",
                &raw.lbb_ground_a,
            ),
            select::<LbbConclusion>(
                "lbbGroundB",
                "Conclusie LBB, grond b (strafbare feiten plegen)",
                &raw.lbb_ground_b,
            ),
            select::<LbbConclusion>(
                "lbbAcquisition",
                "Conclusie LBB, verkrijgingsfeiten",
                &raw.lbb_acquisition,
            ),
            select::<BibobOutcome>("outcome", "Uitkomst", &raw.outcome),
            lines(
                "conditions",
                "Voorschriften",
                "Eén voorschrift per regel (bij verlening onder voorschriften).",
                &raw.conditions,
            ),
        ],
        K::Closure => vec![
            select::<PremisesKind>("premisesKind", "Woning of lokaal", &raw.premises_kind),
            select::<ClosureGround>("closureGround", "Grond", &raw.closure_ground),
            lines("drugs", "Aangetroffen drugs", DRUGS_HINT, &raw.drugs),
            yes_no("careDiscussed", "Zorg besproken", &raw.care_discussed),
            text("careWith", "Zorg besproken met", &raw.care_with),
            area(
                "careOutcome",
                "Uitkomst van het zorggesprek",
                &raw.care_outcome,
            ),
            area(
                "proportionality",
                "Evenredigheid: geschikt, noodzakelijk en evenwichtig",
                &raw.proportionality,
            ),
        ],
        K::PenaltyOrder => vec![
            select::<LegalBasis>("legalBasis", "Grondslag", &raw.legal_basis),
            text("article", "Artikel", &raw.article),
            area("violation", "Overtreding", &raw.violation),
            text("amount", "Dwangsom (euro)", &raw.amount),
            select::<PenaltyUnit>("per", "Eenheid van de dwangsom", &raw.per),
            text("maximum", "Maximum (euro)", &raw.maximum),
            lines(
                "forfeitures",
                "Verbeurde bedragen",
                FORFEIT_HINT,
                &raw.forfeitures,
            ),
        ],
        K::Enforcement => vec![
            select::<LegalBasis>("legalBasis", "Grondslag", &raw.legal_basis),
            text("article", "Artikel", &raw.article),
            area("violation", "Overtreding", &raw.violation),
            text("costs", "Kosten van de bestuursdwang (euro)", &raw.costs),
        ],
        K::Control => vec![
            select::<Branch>("branch", "Branche", &raw.branch),
            select::<ControlTeam>("team", "Team", &raw.team),
            lines(
                "locations",
                "Locaties",
                "Eén per regel: een BAG-id (16 cijfers) of een adres.",
                &raw.locations,
            ),
            checks::<ControlPartner>("partners", "Deelnemende partners", &raw.partners),
            checks::<ControlFocus>("focus", "Ook gekeken naar", &raw.focus),
            lines(
                "findings",
                "Bevindingen per partner",
                FINDINGS_HINT,
                &raw.findings,
            ),
        ],
        K::CareReferral | K::PartnerReferral => {
            let care = kind == K::CareReferral;
            let mut recipient =
                select::<ReferralRecipient>("recipient", "Verwezen naar", &raw.recipient);
            recipient.options.retain(|o| {
                o.value.is_empty()
                    || ReferralRecipient::parse(&o.value).is_ok_and(|r| r.is_care() == care)
            });
            vec![
                recipient,
                area("reason", "Reden van de verwijzing", &raw.reason),
                area("feedback", "Terugkoppeling", &raw.feedback),
            ]
        }
    };
    for f in &mut fields {
        f.error = errors
            .0
            .iter()
            .find(|e| e.field == f.name || e.field.starts_with(&format!("{}[", f.name)))
            .map(|e| baken_app::wording::problem(&e.problem));
    }
    fields
}

fn split_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// The details fields of a posted form.
pub(crate) fn raw_details(form: &Form) -> RawDetails {
    let one = |name: &str| form.one(name).to_string();
    RawDetails {
        decision_kind: one("decisionKind"),
        trigger: one("trigger"),
        application_ref: one("applicationRef"),
        own_result: one("ownResult"),
        lbb_ground_a: one("lbbGroundA"),
        lbb_ground_b: one("lbbGroundB"),
        lbb_acquisition: one("lbbAcquisition"),
        outcome: one("outcome"),
        conditions: split_lines(form.one("conditions")),
        premises_kind: one("premisesKind"),
        closure_ground: one("closureGround"),
        drugs: split_lines(form.one("drugs")),
        care_discussed: one("careDiscussed"),
        care_with: one("careWith"),
        care_outcome: one("careOutcome"),
        proportionality: one("proportionality"),
        legal_basis: one("legalBasis"),
        article: one("article"),
        violation: one("violation"),
        amount: one("amount"),
        per: one("per"),
        maximum: one("maximum"),
        forfeitures: split_lines(form.one("forfeitures")),
        costs: one("costs"),
        branch: one("branch"),
        team: one("team"),
        partners: form.all("partners"),
        focus: form.all("focus"),
        findings: split_lines(form.one("findings")),
        locations: split_lines(form.one("locations")),
        recipient: one("recipient"),
        reason: one("reason"),
        feedback: one("feedback"),
    }
}

// The hints name every machine name they mention (kept in step with the enums).
#[cfg(test)]
mod tests {
    use super::*;
    use baken_core::intervention::details::Substance;

    #[test]
    fn the_drugs_hint_names_every_substance() {
        for s in Substance::ALL {
            assert!(DRUGS_HINT.contains(s.label()), "{s:?}");
            assert_eq!(Substance::from_text(s.label()), Ok(*s));
        }
        for p in ControlPartner::ALL {
            assert!(FINDINGS_HINT.contains(p.slug()), "{p:?}");
        }
    }
}
