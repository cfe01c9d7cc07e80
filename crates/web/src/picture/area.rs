//! `/gebieden/{code}`: an area's informatiebeeld among the others of its kind.

use super::*;

struct ThemeLine {
    code: String,
    name: String,
    count: String,
    rate: String,
    smoothed: String,
    class: &'static str,
    class_slug: &'static str,
    explanation: String,
    selected: bool,
}

struct Neighbour {
    code: String,
    name: String,
    class: &'static str,
}

struct VisitLine {
    id: String,
    date: String,
    kind: &'static str,
    place: String,
    findings: u64,
}

#[derive(Template)]
#[template(path = "area.html")]
struct AreaPage {
    nav: Option<Nav>,
    area: Area,
    parent: Option<Area>,
    children: Vec<Area>,
    theme: Option<String>,
    theme_name: String,
    base_options: Vec<SelectOption>,
    base: BaseKind,
    lines: Vec<ThemeLine>,
    base_note: Option<String>,
    map: String,
    chart: String,
    neighbours: Vec<Neighbour>,
    islands_note: bool,
    sees_signals: bool,
    open_total: String,
    rows: Vec<crate::ui::SignalRow>,
    by_org: Vec<(String, String)>,
    visits: Vec<VisitLine>,
    aggregated: bool,
    has_base: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct AreaParams {
    theme: Option<String>,
    base: Option<String>,
}

pub(super) async fn area_page(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    Query(params): Query<AreaParams>,
) -> Response {
    let now = state.clock.now();
    let not_found = || {
        message(
            StatusCode::NOT_FOUND,
            session.nav(),
            "Niet gevonden",
            "Dit gebied is niet bekend.",
        )
    };
    let Ok(code) = baken_core::identifiers::AreaCode::parse(&code) else {
        return not_found();
    };
    let area = match state.store.area(code.as_str()).await {
        Ok(Some(a)) => a,
        Ok(None) => return not_found(),
        Err(e) => return internal(e),
    };
    let catalogue = match state.store.catalogue().await {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
    let input = PictureInput {
        level: Some(area.kind.slug().to_string()),
        theme: params.theme.clone(),
        base: params.base.clone(),
        ..Default::default()
    };
    let query = match input.parse(&catalogue) {
        Ok(q) => q,
        Err(errors) => {
            let text = baken_app::wording::messages(&errors)
                .into_iter()
                .map(|e| e.message)
                .collect::<Vec<_>>()
                .join("; ");
            return message(
                StatusCode::BAD_REQUEST,
                session.nav(),
                "Onjuiste keuze",
                &text,
            );
        }
    };
    // Areas of the same kind, compared per theme (gemeenten are not compared); the area's
    // months and who reports there: one read.
    let suppressed = suppressed_label(&state);
    let picture = match state
        .ops
        .area_picture(&session.caller, (&area, &code), &query, &catalogue)
        .await
    {
        Ok(p) => Some(p),
        // A gemeente is not compared: a role that may not count signals still sees its page,
        // without the counts.
        Err(baken_store::StoreError::Forbidden(_)) if area.kind == AreaKind::Gemeente => None,
        Err(e) => return store_error(&session, e),
    };
    let (comparison, months, owners) = match picture {
        Some(p) => (p.comparison, Some(p.months), p.owners.groups),
        None => (None, None, Vec::new()),
    };
    let theme_name_of = |code: &Option<String>| match code {
        None => "Alle thema's".to_string(),
        Some(c) => catalogue
            .themes
            .iter()
            .find(|t| &t.code == c)
            .map_or_else(|| c.clone(), |t| t.name.clone()),
    };
    let lines: Vec<ThemeLine> = comparison
        .iter()
        .flat_map(|c| c.themes.iter())
        .map(|t| ThemeLine {
            code: t.theme.clone().unwrap_or_default(),
            name: theme_name_of(&t.theme),
            count: shown_count(t.row.count, &suppressed),
            rate: per_1000(t.row.rate),
            smoothed: per_1000(t.row.smoothed_rate),
            class: t.row.class.label(),
            class_slug: t.row.class.slug(),
            explanation: t.row.explanation(ALPHA),
            selected: t.theme == query.filter.theme,
        })
        .collect();
    let selected_table = comparison.as_ref().and_then(|c| c.selected.as_ref());
    let theme_name = subject_of(&catalogue, &query.filter);
    let has_base = selected_table.is_some_and(|t| t.bases.contains_key(&area.code));
    let (map_svg, neighbours, islands_note, base_note) = match (&comparison, selected_table) {
        (Some(c), Some(table)) => {
            let neighbours = c
                .neighbours
                .iter()
                .map(|(a, class)| Neighbour {
                    code: a.code.clone(),
                    name: a.name.clone(),
                    class: class.label(),
                })
                .collect();
            let svg = table_map(
                table,
                (Measure::Afwijking, None),
                format!(
                    "{} tussen de andere {}: afwijking, {}",
                    area.name,
                    area.kind.label().to_lowercase(),
                    theme_name
                ),
                Vec::new(),
                Some(&area.code),
                560.0,
                &suppressed,
            );
            (svg, neighbours, c.island, base_note(table, query.base))
        }
        _ => (String::new(), Vec::new(), false, None),
    };

    // Counts over the last months.
    let (chart_svg, aggregated) = match months {
        Some(months) => {
            let bars: Vec<chart::Bar> = months
                .months
                .into_iter()
                .map(|(label, shown)| chart::Bar {
                    label,
                    value: shown.value,
                })
                .collect();
            let svg = chart::bars(
                &format!("Signalen per maand, {theme_name}"),
                &bars,
                &suppressed,
            )
            .unwrap_or_default();
            (svg, months.aggregated)
        }
        None => (String::new(), false),
    };
    // Who reports here.
    let by_org = owners.into_iter().map(|(k, v)| (k, v.shown)).collect();

    let sees_signals = session.caller.signal_scope() != SignalScope::Nothing;
    let (open_total, rows) = if sees_signals {
        let filter = SignalFilter {
            area: Some(code.clone()),
            theme: query.filter.theme.clone(),
            open: true,
            ..Default::default()
        };
        let page = baken_core::page::PageRequest::first(25);
        match state
            .store
            .list_signals(&session.caller, &filter, page, now)
            .await
        {
            Ok(p) => (
                baken_app::wording::total(p.total),
                p.items
                    .iter()
                    .map(|s| {
                        crate::ui::signal_row(s, &catalogue, baken_core::calendar::local_date(now))
                    })
                    .collect(),
            ),
            Err(e) => return store_error(&session, e),
        }
    } else {
        (
            baken_app::wording::total(baken_core::page::Total::Exact(0)),
            Vec::new(),
        )
    };
    let visits = if sees_signals {
        match state
            .store
            .visits_in_area(&session.caller, &area.code, now)
            .await
        {
            Ok(v) => v
                .into_iter()
                .map(|v| VisitLine {
                    id: v.id.to_string(),
                    date: crate::ui::date_text(v.visited_on),
                    kind: v.kind.label(),
                    place: v.object_name.or(v.location).unwrap_or_default(),
                    findings: v.findings,
                })
                .collect(),
            Err(e) => return store_error(&session, e),
        }
    } else {
        Vec::new()
    };
    let parent = match &area.parent {
        Some(p) => match state.store.area(p).await {
            Ok(a) => a,
            Err(e) => return internal(e),
        },
        None => None,
    };
    let children = match state.store.child_areas(&area.code).await {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
    render(
        StatusCode::OK,
        &AreaPage {
            nav: session.nav(),
            parent,
            children,
            theme: query.filter.theme.clone(),
            theme_name,
            base_options: options(
                BaseKind::ALL,
                BaseKind::slug,
                BaseKind::label,
                query.base.slug(),
            ),
            base: query.base,
            lines,
            base_note,
            map: map_svg,
            chart: chart_svg,
            neighbours,
            islands_note,
            sees_signals,
            open_total,
            rows,
            by_org,
            visits,
            aggregated,
            has_base,
            area,
        },
    )
}
