//! The form for a new signal: fields, subjects and relations, errors per field.

use super::*;
use baken_app::labels::Label;

pub(super) struct TextField {
    name: &'static str,
    label: &'static str,
    hint: Option<&'static str>,
    input_type: &'static str,
    multiline: bool,
    required: bool,
    value: String,
    error: Option<String>,
}

pub(super) struct SelectField {
    name: &'static str,
    label: &'static str,
    options: Vec<SelectOption>,
    error: Option<String>,
}

pub(super) struct CheckBox {
    value: String,
    label: String,
    checked: bool,
    indicators: Vec<CheckBox>,
}

pub(super) struct SummaryError {
    field: String,
    label: String,
    message: String,
}

/// What the signal form is for: registering a new signal, or correcting a stored one.
pub(super) enum FormPurpose {
    Register,
    Correct {
        id: Uuid,
        /// Why, as typed.
        reason: String,
    },
}

/// The fields a correction keeps as registered, and so does not show.
const KEPT_BY_CORRECTION: &[&str] = &["receivedAt", "retentionUntil", "sourceKind"];

#[derive(Template)]
#[template(path = "signal_form.html")]
pub(super) struct SignalFormPage {
    nav: Option<Nav>,
    csrf: String,
    heading: &'static str,
    action: String,
    save_label: &'static str,
    /// For a correction: why, with its error.
    reason: Option<TextField>,
    errors: Vec<SummaryError>,
    text_fields: Vec<TextField>,
    selects: Vec<SelectField>,
    theme_boxes: Vec<CheckBox>,
    themes_error: Option<String>,
    indicators_error: Option<String>,
    subject_blocks: Vec<SubjectBlock>,
    relation_blocks: Vec<RelationBlock>,
}

pub(super) const FIELD_LABELS: &[(&str, &str)] = &[
    ("title", "Titel"),
    ("description", "Wat is er waargenomen?"),
    ("receivedAt", "Datum ontvangen"),
    ("observedOn", "Datum waarneming"),
    ("areaCode", "Gebiedscode (CBS-wijk of -buurt)"),
    ("address", "Adres of locatie"),
    ("latitude", "Breedtegraad"),
    ("longitude", "Lengtegraad"),
    ("retentionUntil", "Bewaren tot"),
    ("sourceKind", "Soort bron"),
    ("sourceReliability", "Betrouwbaarheid van de bron"),
    (
        "informationCredibility",
        "Geloofwaardigheid van de informatie",
    ),
    ("classification", "Classificatie"),
    ("sharing", "Delen"),
    ("themes", "Thema's"),
    ("indicators", "Indicatoren"),
    ("reason", "Reden van de correctie"),
];

pub(super) fn label_of(field: &str) -> &'static str {
    FIELD_LABELS
        .iter()
        .find(|(f, _)| *f == field)
        .map_or("Veld", |(_, l)| l)
}

/// The label in the error summary: a form field, or the numbered subject or relation block.
pub(super) fn summary_label(field: &str) -> String {
    let numbered = |prefix: &str, noun: &str| {
        field
            .strip_prefix(prefix)
            .and_then(|rest| rest.split(']').next())
            .and_then(|n| n.parse::<usize>().ok())
            .map(|n| format!("{noun} {}", n + 1))
    };
    // The field inside the block: "Betrokkene 1, BAG-id".
    let inner = |block: String| {
        let name = field.split_once("].").map(|(_, f)| f);
        let label = name.and_then(|f| {
            SUBJECT_FIELDS
                .iter()
                .chain(BLOCK_FIELDS)
                .chain([&BSN_FIELD])
                .find(|(n, _)| *n == f)
                .map(|(_, l)| *l)
        });
        match label {
            Some(l) => format!("{block}, {}", l.split(" (").next().unwrap_or(l)),
            None => block,
        }
    };
    numbered("subjects[", "Betrokkene")
        .or_else(|| numbered("relations[", "Relatie"))
        .map(inner)
        .unwrap_or_else(|| label_of(field).to_string())
}

/// The fields of a subject or relation block besides a subject's details.
const BLOCK_FIELDS: &[(&str, &str)] = &[
    ("kind", "soort"),
    ("role", "rol"),
    ("from", "van"),
    ("to", "naar"),
];

pub(super) const SUBJECT_FIELDS: &[(&str, &str)] = &[
    ("name", "Naam"),
    ("birthDate", "Geboortedatum (dd-mm-jjjj)"),
    ("kvkNumber", "KvK-nummer"),
    ("branchNumber", "Vestigingsnummer"),
    ("bagId", "BAG-id"),
    ("street", "Straat"),
    ("houseNumber", "Huisnummer"),
    ("houseLetter", "Huisletter"),
    ("houseNumberAddition", "Toevoeging"),
    ("postcode", "Postcode"),
    ("place", "Plaats"),
    ("plate", "Kenteken"),
    ("value", "Telefoon, e-mail of IBAN"),
];

/// A person's BSN, offered to those with a legal basis for it (`[[intake.bsn.bases]]`).
const BSN_FIELD: (&str, &str) = ("bsn", "BSN (alleen bij een persoon)");

pub(super) struct SubjectField {
    name: &'static str,
    label: &'static str,
    value: String,
}

pub(super) struct SubjectBlock {
    index: usize,
    number: usize,
    kinds: Vec<SelectOption>,
    roles: Vec<SelectOption>,
    fields: Vec<SubjectField>,
    errors: Vec<String>,
    has_error: bool,
}

pub(super) struct RelationBlock {
    index: usize,
    number: usize,
    from: Vec<SelectOption>,
    to: Vec<SelectOption>,
    kinds: Vec<SelectOption>,
    errors: Vec<String>,
}

pub(super) fn subject_value<'a>(input: &'a SubjectInput, name: &str) -> &'a Option<String> {
    match name {
        "name" => &input.name,
        "birthDate" => &input.birth_date,
        "kvkNumber" => &input.kvk_number,
        "branchNumber" => &input.branch_number,
        "bagId" => &input.bag_id,
        "street" => &input.street,
        "houseNumber" => &input.house_number,
        "houseLetter" => &input.house_letter,
        "houseNumberAddition" => &input.house_number_addition,
        "postcode" => &input.postcode,
        "place" => &input.place,
        "plate" => &input.plate,
        "bsn" => &input.bsn,
        _ => &input.value,
    }
}

pub(super) fn with_empty(mut options: Vec<SelectOption>, label: &str) -> Vec<SelectOption> {
    let none_selected = options.iter().all(|o| !o.selected);
    options.insert(
        0,
        SelectOption {
            value: String::new(),
            label: label.to_string(),
            selected: none_selected,
        },
    );
    options
}

pub(super) fn errors_of(errors: &ValidationErrors, prefix: &str) -> Vec<String> {
    errors
        .0
        .iter()
        .filter(|e| e.field.starts_with(prefix))
        .map(|e| baken_app::wording::problem(&e.problem))
        .collect()
}

pub(super) fn subject_blocks(
    input: &SignalInput,
    (count, bsn_basis): (usize, Option<&str>),
    errors: &ValidationErrors,
) -> Vec<SubjectBlock> {
    use baken_core::model::SubjectKind;
    use baken_core::subject::SubjectRole;
    (0..count)
        .map(|index| {
            let blank = SubjectInput::default();
            let s = input.subjects.get(index).unwrap_or(&blank);
            let errors = errors_of(errors, &format!("subjects[{index}]"));
            SubjectBlock {
                index,
                number: index + 1,
                kinds: with_empty(
                    options(
                        SubjectKind::ALL,
                        SubjectKind::slug,
                        SubjectKind::label,
                        s.kind.as_deref().unwrap_or(""),
                    ),
                    "Kies een soort",
                ),
                roles: options(
                    SubjectRole::ALL,
                    SubjectRole::slug,
                    SubjectRole::label,
                    s.role.as_deref().unwrap_or("betrokkene"),
                ),
                // The BSN only for those with a legal basis to record it.
                fields: SUBJECT_FIELDS
                    .iter()
                    .chain(bsn_basis.map(|_| &BSN_FIELD))
                    .map(|(name, label)| SubjectField {
                        name,
                        label,
                        value: subject_value(s, name).clone().unwrap_or_default(),
                    })
                    .collect(),
                has_error: !errors.is_empty(),
                errors,
            }
        })
        .collect()
}

pub(super) fn relation_blocks(
    input: &SignalInput,
    subjects: usize,
    errors: &ValidationErrors,
) -> Vec<RelationBlock> {
    use baken_core::subject::RelationKind;
    let count = input.relations.len().max(2);
    (0..count)
        .map(|index| {
            let blank = baken_core::subject::RelationInput::default();
            let r = input.relations.get(index).unwrap_or(&blank);
            let numbers = |current: Option<usize>| {
                with_empty(
                    (0..subjects)
                        .map(|n| SelectOption {
                            value: (n + 1).to_string(),
                            label: format!("Betrokkene {}", n + 1),
                            selected: current == Some(n),
                        })
                        .collect(),
                    "–",
                )
            };
            RelationBlock {
                index,
                number: index + 1,
                from: numbers(r.from),
                to: numbers(r.to),
                kinds: with_empty(
                    options(
                        RelationKind::ALL,
                        RelationKind::slug,
                        RelationKind::label,
                        r.kind.as_deref().unwrap_or(""),
                    ),
                    "–",
                ),
                errors: errors_of(errors, &format!("relations[{index}]")),
            }
        })
        .collect()
}

pub(super) fn signal_form_page(
    (session, bsn_basis): (&Session, Option<&str>),
    catalogue: &Catalogue,
    (purpose, input): (&FormPurpose, &SignalInput),
    errors: &ValidationErrors,
    blocks: usize,
) -> SignalFormPage {
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let text = |name, hint, input_type, multiline, required, value| TextField {
        name,
        label: label_of(name),
        hint,
        input_type,
        multiline,
        required,
        value,
        error: baken_app::wording::message_for(errors, name),
    };
    let mut classifications: Vec<Classification> = Classification::ALL.to_vec();
    classifications.retain(|c| session.caller.may_classify(*c));
    let select = |name, options| SelectField {
        name,
        label: label_of(name),
        options,
        error: baken_app::wording::message_for(errors, name),
    };
    let (heading, action, save_label, reason) = match purpose {
        FormPurpose::Register => (
            "Signaal registreren",
            "/signalen/nieuw".to_string(),
            "Signaal opslaan",
            None,
        ),
        FormPurpose::Correct { id, reason } => (
            "Signaal corrigeren",
            format!("/signalen/{id}/corrigeren"),
            "Correctie opslaan",
            Some(TextField {
                name: "reason",
                label: label_of("reason"),
                hint: Some(
                    "Komt met de oude en nieuwe waarden in de geschiedenis van het signaal.",
                ),
                input_type: "text",
                multiline: false,
                required: false,
                value: reason.clone(),
                error: baken_app::wording::message_for(errors, "reason"),
            }),
        ),
    };
    let correcting = matches!(purpose, FormPurpose::Correct { .. });
    let mut page = SignalFormPage {
        nav: session.nav(),
        csrf: session.csrf.clone(),
        heading,
        action,
        save_label,
        reason,
        errors: errors
            .0
            .iter()
            .map(|e| SummaryError {
                field: e.field.clone(),
                label: summary_label(&e.field),
                message: baken_app::wording::problem(&e.problem),
            })
            .collect(),
        text_fields: vec![
            text("title", None, "text", false, true, v(&input.title)),
            text(
                "description",
                Some("Beschrijf feiten: wie, wat, waar, wanneer. Geen vermoedens als feit."),
                "text",
                true,
                true,
                v(&input.description),
            ),
            text(
                "receivedAt",
                Some("Leeg laten voor vandaag."),
                "date",
                false,
                false,
                v(&input.received_at),
            ),
            text(
                "observedOn",
                None,
                "date",
                false,
                false,
                v(&input.observed_on),
            ),
            text(
                "areaCode",
                Some("Bijvoorbeeld WK001400 of BU00140000."),
                "text",
                false,
                false,
                v(&input.area_code),
            ),
            text("address", None, "text", false, false, v(&input.address)),
            text(
                "latitude",
                Some("WGS84 in decimale graden, bijvoorbeeld 53.2193."),
                "text",
                false,
                false,
                v(&input.latitude),
            ),
            text(
                "longitude",
                Some("WGS84 in decimale graden, bijvoorbeeld 6.5686."),
                "text",
                false,
                false,
                v(&input.longitude),
            ),
            text(
                "retentionUntil",
                Some("Leeg laten voor de standaardbewaartermijn."),
                "date",
                false,
                false,
                v(&input.retention_until),
            ),
        ],
        selects: vec![
            select(
                "sourceKind",
                options(
                    SourceKind::ALL,
                    SourceKind::slug,
                    SourceKind::label,
                    input.source_kind.as_deref().unwrap_or(""),
                ),
            ),
            select(
                "sourceReliability",
                options(
                    SourceReliability::ALL,
                    SourceReliability::slug,
                    SourceReliability::label,
                    input.source_reliability.as_deref().unwrap_or("F"),
                ),
            ),
            select(
                "informationCredibility",
                options(
                    InformationCredibility::ALL,
                    InformationCredibility::slug,
                    InformationCredibility::label,
                    input.information_credibility.as_deref().unwrap_or("6"),
                ),
            ),
            select(
                "classification",
                options(
                    &classifications,
                    Classification::slug,
                    Classification::label,
                    input.classification.as_deref().unwrap_or("intern"),
                ),
            ),
            select(
                "sharing",
                options(
                    Sharing::ALL,
                    Sharing::slug,
                    Sharing::label,
                    input.sharing.as_deref().unwrap_or("convenant"),
                ),
            ),
        ],
        theme_boxes: catalogue
            .themes
            .iter()
            .map(|t| CheckBox {
                value: t.code.clone(),
                label: t.name.clone(),
                checked: input.themes.contains(&t.code),
                indicators: t
                    .indicators
                    .iter()
                    .map(|i| CheckBox {
                        value: i.code.clone(),
                        label: i.name.clone(),
                        checked: input.indicators.contains(&i.code),
                        indicators: Vec::new(),
                    })
                    .collect(),
            })
            .collect(),
        themes_error: baken_app::wording::message_for(errors, "themes"),
        indicators_error: baken_app::wording::message_for(errors, "indicators"),
        subject_blocks: subject_blocks(input, (blocks, bsn_basis), errors),
        relation_blocks: relation_blocks(input, blocks, errors),
    };
    if correcting {
        page.text_fields
            .retain(|f| !KEPT_BY_CORRECTION.contains(&f.name));
        page.selects
            .retain(|f| !KEPT_BY_CORRECTION.contains(&f.name));
    }
    page
}

pub(super) async fn new_signal_page(State(state): State<AppState>, session: Session) -> Response {
    if !session.caller.may_register_signal() {
        return message(
            StatusCode::FORBIDDEN,
            session.nav(),
            "Niet toegestaan",
            "Uw rol mag geen signalen registreren.",
        );
    }
    match state.store.catalogue().await {
        Ok(catalogue) => render(
            StatusCode::OK,
            &signal_form_page(
                (&session, state.config.intake.bsn.basis_for(&session.caller)),
                &catalogue,
                (&FormPurpose::Register, &SignalInput::default()),
                &ValidationErrors::new(),
                2,
            ),
        ),
        Err(e) => internal(e),
    }
}

pub(super) fn input_from_form(form: &Form) -> SignalInput {
    SignalInput {
        title: form.opt("title"),
        description: form.opt("description"),
        received_at: form.opt("receivedAt"),
        observed_on: form.opt("observedOn"),
        source_kind: form.opt("sourceKind"),
        source_reliability: form.opt("sourceReliability"),
        information_credibility: form.opt("informationCredibility"),
        themes: form.all("themes"),
        indicators: form.all("indicators"),
        area_code: form.opt("areaCode"),
        latitude: form.opt("latitude"),
        longitude: form.opt("longitude"),
        address: form.opt("address"),
        classification: form.opt("classification"),
        sharing: form.opt("sharing"),
        retention_until: form.opt("retentionUntil"),
        subjects: subjects_from_form(form),
        relations: relations_from_form(form),
    }
}

/// How many subject blocks the form showed (at least those filled in, 2 to 48).
pub(super) fn subject_block_count(form: &Form, input: &SignalInput) -> usize {
    form.one("subjectBlocks")
        .parse::<usize>()
        .unwrap_or(2)
        .max(input.subjects.len())
        .clamp(2, 48)
}

/// Index of a `prefix[N].field` form name.
pub(super) fn indexed<'a>(name: &'a str, prefix: &str) -> Option<(usize, &'a str)> {
    let rest = name.strip_prefix(prefix)?.strip_prefix('[')?;
    let (n, field) = rest.split_once("].")?;
    Some((n.parse().ok().filter(|n| *n < 50)?, field))
}

pub(super) fn subjects_from_form(form: &Form) -> Vec<SubjectInput> {
    let mut subjects: Vec<SubjectInput> = Vec::new();
    for (name, value) in &form.0 {
        let Some((i, field)) = indexed(name, "subjects") else {
            continue;
        };
        if subjects.len() <= i {
            subjects.resize(i + 1, SubjectInput::default());
        }
        let v = Some(value.clone()).filter(|v| !v.trim().is_empty());
        let s = &mut subjects[i];
        match field {
            "kind" => s.kind = v,
            "role" => s.role = v,
            "name" => s.name = v,
            "birthDate" => s.birth_date = v,
            "kvkNumber" => s.kvk_number = v,
            "branchNumber" => s.branch_number = v,
            "bagId" => s.bag_id = v,
            "street" => s.street = v,
            "houseNumber" => s.house_number = v,
            "houseLetter" => s.house_letter = v,
            "houseNumberAddition" => s.house_number_addition = v,
            "postcode" => s.postcode = v,
            "place" => s.place = v,
            "plate" => s.plate = v,
            "value" => s.value = v,
            "bsn" => s.bsn = v,
            _ => {}
        }
    }
    subjects
}

pub(super) fn relations_from_form(form: &Form) -> Vec<baken_core::subject::RelationInput> {
    let mut relations: Vec<baken_core::subject::RelationInput> = Vec::new();
    for (name, value) in &form.0 {
        let Some((i, field)) = indexed(name, "relations") else {
            continue;
        };
        if relations.len() <= i {
            relations.resize(i + 1, Default::default());
        }
        // The form numbers subjects from 1.
        let number = value
            .trim()
            .parse::<usize>()
            .ok()
            .and_then(|n| n.checked_sub(1));
        let r = &mut relations[i];
        match field {
            "from" => r.from = number,
            "to" => r.to = number,
            "kind" => r.kind = Some(value.clone()).filter(|v| !v.is_empty()),
            _ => {}
        }
    }
    relations
}

pub(super) async fn create_signal(
    State(state): State<AppState>,
    session: Session,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    if !session.caller.may_register_signal() {
        return message(
            StatusCode::FORBIDDEN,
            session.nav(),
            "Niet toegestaan",
            "Uw rol mag geen signalen registreren.",
        );
    }
    let catalogue = match state.store.catalogue().await {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
    let input = input_from_form(&form);
    let blocks = subject_block_count(&form, &input);
    if form.one("action") == "meer-betrokkenen" {
        let page = signal_form_page(
            (&session, state.config.intake.bsn.basis_for(&session.caller)),
            &catalogue,
            (&FormPurpose::Register, &input),
            &ValidationErrors::new(),
            blocks + 2,
        );
        return render(StatusCode::OK, &page);
    }
    let now = state.clock.now();
    match NewSignal::parse(
        &input,
        &catalogue,
        &session.caller,
        &state.config.intake,
        now,
    ) {
        Err(errors) => render(
            StatusCode::BAD_REQUEST,
            &signal_form_page(
                (&session, state.config.intake.bsn.basis_for(&session.caller)),
                &catalogue,
                (&FormPurpose::Register, &input),
                &errors,
                blocks,
            ),
        ),
        Ok(new) => match state.store.create_signal(&session.caller, new, now).await {
            Ok(signal) => {
                Redirect::to(&format!("/signalen/{}?opgeslagen=1", signal.id)).into_response()
            }
            Err(e) => store_error(&session, e),
        },
    }
}
