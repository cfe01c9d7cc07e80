//! The OpenAPI document of `/api/v1`: generated from the handlers and types (utoipa), with
//! the bearer scheme and the allowed values of coded fields taken from the domain's enums.

use super::*;
use baken_core::catalogue::Catalogue;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// Declares the allowed values of the API's coded fields, taken from the domain's own enums
/// (one home for each list): the schema structs carry them as text.
struct Enums;

impl Modify for Enums {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use baken_core::model::{
            Classification, InformationCredibility, Sharing, SourceKind, SourceReliability,
            SubjectKind,
        };
        use baken_core::status::SignalStatus;
        use baken_core::subject::{RelationKind, SubjectRole};
        fn slugs<T: Copy>(all: &[T], slug: fn(T) -> &'static str) -> Vec<&'static str> {
            all.iter().map(|v| slug(*v)).collect()
        }
        let source = slugs(SourceKind::ALL, SourceKind::slug);
        let reliability = slugs(SourceReliability::ALL, SourceReliability::slug);
        let credibility = slugs(InformationCredibility::ALL, InformationCredibility::slug);
        let classification = slugs(Classification::ALL, Classification::slug);
        let sharing = slugs(Sharing::ALL, Sharing::slug);
        let status = slugs(SignalStatus::ALL, SignalStatus::slug);
        // A subject block may be blank (left out), so its kind is not required.
        require(openapi, "StatusChangeRequest", "status");
        require(openapi, "CaseStatusChangeRequest", "status");
        let case_status = super::cases::case_statuses();
        let case_classification: Vec<&'static str> = classification
            .iter()
            .copied()
            .filter(|c| *c != Classification::Bibob.slug())
            .collect();
        for (component, property, values) in [
            ("SignalInput", "sourceKind", &source),
            ("SignalInput", "sourceReliability", &reliability),
            ("SignalInput", "informationCredibility", &credibility),
            ("SignalInput", "classification", &classification),
            ("SignalInput", "sharing", &sharing),
            ("SignalResponse", "sourceKind", &source),
            ("SignalResponse", "sourceReliability", &reliability),
            ("SignalResponse", "informationCredibility", &credibility),
            ("SignalResponse", "classification", &classification),
            ("SignalResponse", "sharing", &sharing),
            ("SignalResponse", "status", &status),
            ("StatusChangeRequest", "status", &status),
            ("CaseStatusChangeRequest", "status", &case_status),
            ("CaseResponse", "status", &case_status),
            ("CaseRequest", "classification", &case_classification),
            ("CaseResponse", "classification", &case_classification),
            (
                "SubjectInput",
                "kind",
                &slugs(SubjectKind::ALL, SubjectKind::slug),
            ),
            (
                "SubjectInput",
                "role",
                &slugs(SubjectRole::ALL, SubjectRole::slug),
            ),
            (
                "RelationInput",
                "kind",
                &slugs(RelationKind::ALL, RelationKind::slug),
            ),
        ] {
            set_enum(openapi, component, property, values);
        }
    }
}

/// The characters Rust's `str::trim` removes (Unicode White_Space), as a regular-expression
/// class: `\s` differs between regex dialects (Python's includes U+001C–U+001F).
const SPACE: &str = r"[\t\n\x0B\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]";

/// One character that is not a space (in the sense of [`SPACE`]).
fn visible() -> String {
    format!("[^{}]", &SPACE[1..SPACE.len() - 1])
}

/// A component's schema, when it is an inline object.
fn component<'a>(
    openapi: &'a mut utoipa::openapi::OpenApi,
    name: &str,
) -> Option<&'a mut utoipa::openapi::schema::Object> {
    use utoipa::openapi::{RefOr, Schema};
    match openapi.components.as_mut()?.schemas.get_mut(name)? {
        RefOr::T(Schema::Object(object)) => Some(object),
        _ => None,
    }
}

/// A component's property schema, when it is an inline object (a text or a number), and
/// whether the component requires it.
fn property<'a>(
    openapi: &'a mut utoipa::openapi::OpenApi,
    component: &str,
    property: &str,
) -> Option<(&'a mut utoipa::openapi::schema::Object, bool)> {
    use utoipa::openapi::{RefOr, Schema};
    let object = self::component(openapi, component)?;
    let required = object.required.iter().any(|r| r == property);
    match object.properties.get_mut(property)? {
        RefOr::T(Schema::Object(field)) => Some((field, required)),
        _ => None,
    }
}

/// Sets the allowed values of `component.property` (a text field, optional or not; a
/// required one is never null).
fn set_enum(
    openapi: &mut utoipa::openapi::OpenApi,
    component: &str,
    property: &str,
    values: &[&'static str],
) {
    use utoipa::openapi::schema::{SchemaType, Type};
    let Some((field, must)) = self::property(openapi, component, property) else {
        return;
    };
    let nullable = field.schema_type == SchemaType::from_iter([Type::String, Type::Null]);
    let mut list: Vec<serde_json::Value> = values.iter().map(|v| (*v).into()).collect();
    if must {
        field.schema_type = SchemaType::Type(Type::String);
    } else {
        // The parsers read an empty text as not given.
        list.push("".into());
        if nullable {
            list.push(serde_json::Value::Null);
        }
    }
    field.enum_values = Some(list);
}

/// Adds `property` to what `component` requires.
fn require(openapi: &mut utoipa::openapi::OpenApi, component: &str, property: &str) {
    if let Some(object) = self::component(openapi, component) {
        if !object.required.iter().any(|r| r == property) {
            object.required.push(property.to_string());
        }
    }
}

/// Makes `component.property` a required, non-null text with something in it (not only
/// spaces) and at most `max` characters.
fn required_text(
    openapi: &mut utoipa::openapi::OpenApi,
    component: &str,
    property: &str,
    max: usize,
) {
    use utoipa::openapi::schema::{SchemaType, Type};
    require(openapi, component, property);
    if let Some((field, _)) = self::property(openapi, component, property) {
        field.schema_type = SchemaType::Type(Type::String);
        field.pattern = Some(visible());
        field.max_length = Some(max);
    }
}

/// A list of catalogue codes in a new signal: each one of `codes`, at least `min` of them.
fn codes_list(openapi: &mut utoipa::openapi::OpenApi, property: &str, codes: &[&str], min: usize) {
    use utoipa::openapi::schema::ArrayItems;
    use utoipa::openapi::{RefOr, Schema};
    let Some(object) = component(openapi, "SignalInput") else {
        return;
    };
    if let Some(RefOr::T(Schema::Array(list))) = object.properties.get_mut(property) {
        if min > 0 {
            list.min_items = Some(min);
        }
        if let ArrayItems::RefOrSchema(item) = &mut list.items {
            if let RefOr::T(Schema::Object(item)) = item.as_mut() {
                item.enum_values = Some(codes.iter().map(|c| (*c).into()).collect());
            }
        }
    }
}

/// [`AreaCode::PATTERN`] with this document's class of spaces.
fn area_pattern() -> String {
    baken_core::identifiers::AreaCode::PATTERN.replace(r"\s", SPACE)
}

/// A query parameter of `path`'s GET.
fn query_parameter<'a>(
    openapi: &'a mut utoipa::openapi::OpenApi,
    path: &str,
    name: &str,
) -> Option<&'a mut utoipa::openapi::path::Parameter> {
    let operation = openapi.paths.paths.get_mut(path)?.get.as_mut()?;
    operation
        .parameters
        .as_mut()?
        .iter_mut()
        .find(|p| p.name == name)
}

/// A date filter: a date (YYYY-MM-DD), or empty for none.
fn date_or_empty(openapi: &mut utoipa::openapi::OpenApi, path: &str, name: &str) {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type};
    use utoipa::openapi::{RefOr, Schema};
    if let Some(parameter) = query_parameter(openapi, path, name) {
        let date = ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)));
        let empty = ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(format!("^{SPACE}*$")));
        parameter.schema = Some(RefOr::T(Schema::OneOf(
            OneOfBuilder::new().item(date).item(empty).build(),
        )));
    }
}

/// A query parameter's schema on `path`'s GET, when it is an inline object.
fn parameter<'a>(
    openapi: &'a mut utoipa::openapi::OpenApi,
    path: &str,
    name: &str,
) -> Option<&'a mut utoipa::openapi::schema::Object> {
    use utoipa::openapi::{RefOr, Schema};
    match query_parameter(openapi, path, name)?.schema.as_mut()? {
        RefOr::T(Schema::Object(o)) => Some(o),
        _ => None,
    }
}

/// The document for this installation: the allowed values of theme and indicator codes are
/// those of its catalogue, and the filters say what they accept as the parser reads them.
pub(super) fn document(catalogue: &Catalogue) -> utoipa::openapi::OpenApi {
    use baken_core::model::AreaKind;
    use baken_core::picture::{BaseKind, Measure};
    use baken_core::status::SignalStatus;
    let mut doc = ApiDoc::openapi();
    let themes: Vec<&str> = catalogue.themes.iter().map(|t| t.code.as_str()).collect();
    let indicators: Vec<&str> = catalogue
        .themes
        .iter()
        .flat_map(|t| &t.indicators)
        .map(|i| i.code.as_str())
        .collect();
    // A filter left empty is not given (as a form sends it): "" is allowed beside the values.
    let texts = |list: &[&str]| -> Option<Vec<serde_json::Value>> {
        Some(
            std::iter::once("")
                .chain(list.iter().copied())
                .map(Into::into)
                .collect(),
        )
    };
    let slugs = |all: Vec<&'static str>| texts(&all);
    let yes_no = texts(&["true", "false", "ja", "nee", "1", "0"]);
    let levels: Vec<&str> = AreaKind::ALL
        .iter()
        .filter(|k| **k != AreaKind::Gemeente)
        .map(|k| k.slug())
        .collect();
    for path in ["/api/v1/signals", "/api/v1/deviations"] {
        if let Some(p) = parameter(&mut doc, path, "theme") {
            p.enum_values = texts(&themes);
        }
        if let Some(p) = parameter(&mut doc, path, "indicator") {
            p.enum_values = texts(&indicators);
        }
        for date in ["receivedFrom", "receivedUntil"] {
            date_or_empty(&mut doc, path, date);
        }
        if let Some(p) = parameter(&mut doc, path, "areaCode") {
            p.pattern = Some(format!("({})|(^{SPACE}*$)", area_pattern()));
        }
    }
    let signals = "/api/v1/signals";
    if let Some(p) = parameter(&mut doc, signals, "status") {
        p.enum_values = slugs(SignalStatus::ALL.iter().map(|s| s.slug()).collect());
    }
    for flag in ["open", "overdue", "assignedToMe"] {
        if let Some(p) = parameter(&mut doc, signals, flag) {
            p.enum_values = yes_no.clone();
        }
    }
    if let Some(p) = parameter(&mut doc, signals, "cursor") {
        // As `Cursor::parse` reads it (or nothing but spaces).
        p.pattern = Some(format!(
            "^(([np][0-9a-f]{{1,16}}\\.[0-9a-fA-F]{{32}})|{SPACE}*)$"
        ));
    }
    if let Some(p) = parameter(&mut doc, signals, "pageSize") {
        p.pattern = Some(format!("^{SPACE}*(\\+?0*([1-9][0-9]?|100))?{SPACE}*$"));
    }
    // A suggestion needs two characters that are not spaces.
    let suggestions = "/api/v1/subject-suggestions";
    if let Some(p) = parameter(&mut doc, suggestions, "q") {
        p.pattern = Some(format!("{0}[\\s\\S]*{0}", visible()));
    }
    if let Some(q) = query_parameter(&mut doc, suggestions, "q") {
        q.required = utoipa::openapi::Required::True;
    }
    let deviations = "/api/v1/deviations";
    if let Some(p) = parameter(&mut doc, deviations, "level") {
        p.enum_values = texts(&levels);
    }
    if let Some(p) = parameter(&mut doc, deviations, "base") {
        p.enum_values = slugs(BaseKind::ALL.iter().map(|b| b.slug()).collect());
    }
    if let Some(p) = parameter(&mut doc, deviations, "measure") {
        p.enum_values = slugs(Measure::ALL.iter().map(|m| m.slug()).collect());
    }
    codes_list(&mut doc, "themes", &themes, 1);
    codes_list(&mut doc, "indicators", &indicators, 0);
    if let Some((field, _)) = property(&mut doc, "SignalInput", "areaCode") {
        field.pattern = Some(format!("({})|(^{SPACE}*$)", area_pattern()));
    }
    required_text(&mut doc, "SignalInput", "title", 200);
    required_text(&mut doc, "SignalInput", "description", 10_000);
    let reason = baken_core::status::StatusChange::MAX_REASON;
    required_text(&mut doc, "StatusChangeRequest", "reason", reason);
    required_text(&mut doc, "AssignmentRequest", "reason", reason);
    doc
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Baken API", version = "1.0.0", description = "Signalen over ondermijning registreren en opvragen. Antwoorden bevatten alleen wat de aanroeper mag zien.",
         contact(name = "Baken", url = "https://github.com/baken"), license(name = "EUPL-1.2")),
    paths(super::create_signal, super::list_signals, super::get_signal, super::change_status, super::assign, super::corrections::correct_signal, super::suggest_subjects, super::deviations, super::cases::list_cases, super::cases::create_case, super::cases::get_case, super::cases::change_case_status, super::cases::add_case_signal, super::cases::add_case_member, super::cases::case_suggestions, super::cases::merge_cases, super::cases::add_case_subject, super::cases::split_case, super::meetings::list_meetings, super::meetings::agenda_proposal, super::meetings::create_meeting, super::meetings::get_meeting, super::meetings::get_minutes, super::meetings::record_disclosure, super::meetings::record_discussion, super::meetings::record_decision, super::meetings::add_action, super::meetings::my_actions, super::meetings::change_action_status, super::meetings::request_agenda, super::interventions::list_interventions, super::interventions::create_intervention, super::interventions::get_intervention, super::interventions::change_intervention, super::interventions::record_step, super::interventions::add_party, super::interventions::disclose, super::interventions::deadlines, super::interventions::figures, super::interventions::link, super::barriers::list_models, super::barriers::get_model, super::barriers::assess, super::barriers::tag, super::activities::list_activities, super::activities::record_activity, super::commitments::list_commitments, super::commitments::create_commitment, super::commitments::change_status, super::commitments::link, super::figures::report_figures, super::figures::record_published, super::reference::catalogue, super::reference::areas, super::reference::visits, super::reference::visit, super::reference::counts, super::area_picture::area_picture, super::dossiers::get_dossier),
    components(schemas(SignalInput, super::corrections::CorrectionRequest, super::corrections::CorrectionResponse, super::corrections::FieldChangeResponse, super::Paging, baken_core::subject::SubjectInput, baken_core::subject::RelationInput, SubjectResponse, RelationResponse, SignalResponse, SignalPage, StatusChangeRequest, Problem, InvalidParam, OrganisationRef, HistoryEntry, AssignedToResponse, AreaRef, Suggestion, Suggestions, AssignmentRequest, AssigneeRef, AreaDeviation, Deviations, super::cases::CaseResponse, super::cases::CaseListResponse, super::cases::CaseRequest, super::cases::CaseStatusChangeRequest, super::cases::CaseSignalRequest, super::cases::CaseMemberRequest, super::cases::CaseMemberResponse, super::cases::CaseHistoryEntry, super::cases::PersonRef, super::cases::CaseMergeRequest, super::cases::CaseSubjectRequest, baken_core::case::CaseEntity, baken_core::model::SubjectKind, super::cases::CaseSplitRequest, baken_core::case::CaseLineage, baken_core::case::LineageKind, super::meetings::MeetingList, super::meetings::AgendaProposalList, super::meetings::ActionList, super::meetings::Created, super::meetings::DiscussionRequest, super::meetings::ActionStatusRequest, super::meetings::AgendaRequestBody, baken_core::meeting::RawMeeting, baken_core::meeting::RawDisclosure, baken_core::meeting::MeetingSummary, baken_core::meeting::MeetingDetail, baken_core::meeting::Participant, baken_core::meeting::Disclosure, baken_core::meeting::AgendaItem, baken_core::meeting::AgendaProposal, baken_core::meeting::AgendaReason, baken_core::meeting::DisclosureBasis, baken_core::decision::RawDecision, baken_core::decision::RawAction, baken_core::decision::Decision, baken_core::decision::Action, baken_core::decision::ActionStatus, baken_core::decision::Approach, baken_core::decision::CareConsideration, baken_core::decision::Proportionality, baken_core::case::CaseSummary, baken_core::case::CaseStatus, baken_core::model::Classification, super::interventions::InterventionList, super::interventions::DeadlineList, baken_core::intervention::RawIntervention, baken_core::intervention::RawChange, baken_core::intervention::RawStep, baken_core::intervention::RawParty, baken_core::intervention::RawArt28, baken_core::intervention::details::RawDetails, baken_core::intervention::InterventionSummary, baken_core::intervention::InterventionDetail, baken_core::intervention::Deadline, baken_core::intervention::Party, baken_core::intervention::PartyRole, baken_core::intervention::StepRecord, baken_core::intervention::Art28Disclosure, baken_core::intervention::Art28Recipient, baken_core::intervention::InterventionKind, baken_core::intervention::flow::TermStatus, baken_core::intervention::flow::UrgencyName, baken_core::intervention::flow::NextStep, baken_core::procedure::LengthUnit, baken_core::intervention::details::Details, baken_core::intervention::details::BibobDetails, baken_core::intervention::details::ClosureDetails, baken_core::intervention::details::SanctionDetails, baken_core::intervention::details::ControlDetails, baken_core::intervention::details::ReferralDetails, baken_core::intervention::details::LbbConclusions, baken_core::intervention::details::DrugFinding, baken_core::intervention::details::CareDiscussion, baken_core::intervention::details::Forfeiture, baken_core::intervention::details::Finding, baken_core::intervention::details::BibobDecisionKind, baken_core::intervention::details::BibobTrigger, baken_core::intervention::details::OwnInvestigationResult, baken_core::intervention::details::LbbConclusion, baken_core::intervention::details::BibobOutcome, baken_core::intervention::details::PremisesKind, baken_core::intervention::details::ClosureGround, baken_core::intervention::details::Substance, baken_core::intervention::details::LegalBasis, baken_core::intervention::details::PenaltyUnit, baken_core::intervention::details::Branch, baken_core::intervention::details::ControlTeam, baken_core::intervention::details::ControlPartner, baken_core::intervention::details::ControlFocus, baken_core::intervention::details::ReferralRecipient, baken_core::intervention::TaggedBarrier, baken_core::intervention::InterventionLink, baken_core::intervention::LinkKind, baken_core::intervention::RawLink, baken_core::signal::Coordinates, super::barriers::BarrierModelList, super::barriers::TagRequest, baken_core::barrier::BarrierModelSummary, baken_core::barrier::BarrierModel, baken_core::barrier::Phase, baken_core::barrier::Barrier, baken_core::barrier::Assessment, baken_core::barrier::Coverage, baken_core::barrier::BarrierStatus, baken_core::barrier::BarrierTemplate, baken_core::barrier::RawAssessment, super::activities::ActivityList, super::interventions::FiguresQuery, baken_core::intervention::figures::InterventionFigures, baken_core::intervention::figures::Figure, baken_core::intervention::figures::KindFigure, baken_core::intervention::figures::DecisionKindFigure, baken_core::intervention::figures::OutcomeFigure, super::activities::ActivityCreated, baken_core::activity::Activity, baken_core::activity::RawActivity, baken_core::activity::ActivityKind, super::commitments::CommitmentList, super::commitments::CommitmentCreated, baken_core::commitment::Commitment, baken_core::commitment::CommitmentHistoryEntry, baken_core::commitment::CommitmentLink, baken_core::commitment::CommitmentKind, baken_core::commitment::CommitmentStatus, baken_core::commitment::CommitmentLinkKind, baken_core::commitment::RawCommitment, baken_core::commitment::RawCommitmentStatus, baken_core::commitment::RawCommitmentLink, super::figures::FiguresResponse, super::figures::FigureResponse, baken_core::report::FigureKey, baken_core::report::ReportChapter, baken_core::report::ReportReaders, baken_core::report::Breakdown, baken_core::report::BreakdownRow, baken_core::report::Dimension, baken_core::report::RecordRef, baken_core::report::RecordKind, baken_core::report::effects::Effect, baken_core::report::effects::EffectRow, baken_core::report::effects::Measure, baken_core::report::effects::EffectKey, super::figures::PublishedFigureCreated, baken_core::report::published::RawPublishedFigure, baken_core::report::published::Difference, baken_core::report::published::Contradiction, super::reference::CatalogueResponse, super::reference::ThemeResponse, super::reference::IndicatorResponse, super::reference::AreaList, super::reference::AreaResponse, super::reference::VisitList, super::reference::VisitResponse, super::reference::VisitDetailResponse, super::reference::ChecklistAnswer, super::reference::FindingResponse, super::reference::CountsResponse, super::reference::CountResponse, super::area_picture::AreaPicture, super::area_picture::AreaThemeFigures, super::RowFigures, super::area_picture::NeighbourFigures, super::dossiers::DossierResponse, super::dossiers::DossierSubject)),
    modifiers(&BearerAuth, &Enums)
)]
pub struct ApiDoc;

pub(super) async fn openapi(State(state): State<AppState>) -> Response {
    let catalogue = match state.store.catalogue().await {
        Ok(c) => c,
        Err(_) => {
            return Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "Interne fout", None)
                .into_response()
        }
    };
    match document(&catalogue).to_json() {
        Ok(json) => (
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            ],
            json,
        )
            .into_response(),
        Err(_) => {
            Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "Interne fout", None).into_response()
        }
    }
}
