//! The OpenAPI document of `/api/v1`: generated from the handlers and types (utoipa), with
//! the bearer scheme and the allowed values of coded fields taken from the domain's enums.

use super::*;
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

/// Sets the allowed values of `component.property` (a text field, optional or not).
fn set_enum(
    openapi: &mut utoipa::openapi::OpenApi,
    component: &str,
    property: &str,
    values: &[&'static str],
) {
    use utoipa::openapi::{RefOr, Schema};
    let Some(components) = openapi.components.as_mut() else {
        return;
    };
    let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(component) else {
        return;
    };
    if let Some(RefOr::T(Schema::Object(field))) = object.properties.get_mut(property) {
        let nullable = field.schema_type
            == utoipa::openapi::schema::SchemaType::from_iter([
                utoipa::openapi::schema::Type::String,
                utoipa::openapi::schema::Type::Null,
            ]);
        let mut list: Vec<serde_json::Value> = values.iter().map(|v| (*v).into()).collect();
        if nullable {
            list.push(serde_json::Value::Null);
        }
        field.enum_values = Some(list);
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Baken API", version = "1.0.0", description = "Signalen over ondermijning registreren en opvragen. Antwoorden bevatten alleen wat de aanroeper mag zien.",
         contact(name = "Baken", url = "https://github.com/baken"), license(name = "EUPL-1.2")),
    paths(super::create_signal, super::list_signals, super::get_signal, super::change_status, super::assign, super::suggest_subjects, super::deviations),
    components(schemas(SignalInput, baken_core::subject::SubjectInput, baken_core::subject::RelationInput, SubjectResponse, RelationResponse, SignalResponse, SignalPage, StatusChangeRequest, Problem, InvalidParam, OrganisationRef, HistoryEntry, AssignedToResponse, AreaRef, Suggestion, Suggestions, AssignmentRequest, AssigneeRef, AreaDeviation, Deviations)),
    modifiers(&BearerAuth, &Enums)
)]
pub struct ApiDoc;

pub(super) async fn openapi() -> Response {
    match ApiDoc::openapi().to_json() {
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
