//! Correcting a signal after intake (issue 17, pt 1): history old → new, who may, the
//! classification rule, and search, areas and linking following the correction.

use crate::audit::{sqlx_err, verify};
use crate::harness::{Harness, NOW};
use baken_core::access::Denied;
use baken_core::identifiers::AreaCode;
use baken_core::signal::{
    CorrectedField, IntakePolicy, PageRequest, SignalCorrection, SignalFilter, SignalInput,
};
use baken_core::subject::{RelationInput, SubjectInput};
use baken_core::Caller;
use baken_store::{AuditVerification, GuardedRecord, SignalDetail, StateBreak, StoreError};
use uuid::Uuid;

baken_store::on_both_engines!(crate::harness::Harness =>
    a_correction_keeps_its_history_and_search_and_areas_follow,
    only_who_may_triage_or_registered_it_corrects,
    classification_goes_up_for_anyone_and_down_only_for_the_bibob_coordinator,
    corrected_subjects_follow_in_linking,
);

fn person(name: &str, born: &str) -> SubjectInput {
    SubjectInput {
        kind: Some("persoon".into()),
        role: Some("betrokkene".into()),
        name: Some(name.into()),
        birth_date: Some(born.into()),
        ..Default::default()
    }
}

/// The correction `tweak` makes to the signal as `by` sees it now.
pub(crate) async fn correct(
    h: &Harness,
    by: &Caller,
    id: Uuid,
    reason: &str,
    tweak: impl FnOnce(&mut SignalInput),
) -> Result<SignalDetail, StoreError> {
    correct_parsed_by(h, by, by, id, reason, tweak).await
}

/// As [`correct`], with the form parsed for `parser` (to reach the store's own check).
async fn correct_parsed_by(
    h: &Harness,
    parser: &Caller,
    by: &Caller,
    id: Uuid,
    reason: &str,
    tweak: impl FnOnce(&mut SignalInput),
) -> Result<SignalDetail, StoreError> {
    // The form starts from the signal as the owner's analyst sees it.
    let detail = h.store().signal(&h.a_bibob, id, NOW).await.unwrap();
    let mut input = SignalInput::from_signal(&detail.signal, &detail.subjects, &detail.relations);
    tweak(&mut input);
    let catalogue = h.store().catalogue().await.unwrap();
    let correction = SignalCorrection::parse(
        &input,
        reason,
        &detail.signal,
        &catalogue,
        parser,
        &IntakePolicy::default(),
        NOW,
    )
    .unwrap();
    h.store().correct_signal(by, id, correction, NOW).await
}

async fn titles(h: &Harness, by: &Caller, filter: SignalFilter) -> Vec<String> {
    h.store()
        .list_signals(by, &filter, PageRequest::default(), NOW)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|s| s.title)
        .collect()
}

async fn a_correction_keeps_its_history_and_search_and_areas_follow(h: &Harness) {
    let s = h
        .signal_with(&h.a_analist, "Hennepgeur", &["drugs"], "intern", |i| {
            i.area_code = Some("BU00140000".into());
        })
        .await;
    let unchanged = correct(h, &h.a_analist, s.id, "", |_| {}).await.unwrap();
    assert!(
        unchanged.corrections.is_empty(),
        "nothing changed, nothing kept"
    );

    let d = correct(h, &h.a_analist, s.id, "Verkeerd thema bij intake", |i| {
        i.title = Some("Vastgoedconstructie".into());
        i.description = Some("Constructie met stromannen".into());
        i.themes = vec!["vastgoed".into()];
        i.area_code = Some("BU00140001".into());
        i.source_reliability = Some("A".into());
    })
    .await
    .unwrap();
    assert_eq!(d.signal.title, "Vastgoedconstructie");
    assert_eq!(d.signal.themes, vec!["vastgoed"]);
    assert_eq!(d.signal.area_code.as_deref(), Some("BU00140001"));
    assert!(
        d.signal.areas.iter().any(|a| a.code == "WK001400"),
        "parents follow"
    );
    let [entry] = d.corrections.as_slice() else {
        panic!("one correction: {:?}", d.corrections)
    };
    assert_eq!(entry.reason, "Verkeerd thema bij intake");
    assert_eq!(entry.by_name, "analist");
    let fields: Vec<(CorrectedField, &str, &str)> = entry
        .changes
        .iter()
        .map(|c| (c.field, c.old.as_str(), c.new.as_str()))
        .collect();
    assert_eq!(
        fields,
        vec![
            (CorrectedField::Title, "Hennepgeur", "Vastgoedconstructie"),
            (
                CorrectedField::Description,
                "Beschrijving van Hennepgeur",
                "Constructie met stromannen"
            ),
            (CorrectedField::SourceReliability, "B", "A"),
            (CorrectedField::Themes, "drugs", "vastgoed"),
            (CorrectedField::Area, "BU00140000", "BU00140001"),
        ]
    );

    // Search, theme and area filters find it as corrected, not as it was.
    h.assert_search_in_step("after a correction").await;
    h.assert_code_copies_in_step("after a correction").await;
    let search = |q: &str| SignalFilter {
        text: Some(q.into()),
        ..Default::default()
    };
    assert_eq!(
        titles(h, &h.a_analist, search("vastgoedconstructie")).await,
        vec!["Vastgoedconstructie"]
    );
    assert!(titles(h, &h.a_analist, search("hennepgeur"))
        .await
        .is_empty());
    let theme = |t: &str| SignalFilter {
        theme: Some(t.into()),
        ..Default::default()
    };
    assert!(titles(h, &h.a_analist, theme("drugs")).await.is_empty());
    assert_eq!(titles(h, &h.a_analist, theme("vastgoed")).await.len(), 1);
    let area = |code: &str| SignalFilter {
        area: Some(AreaCode::parse(code).unwrap()),
        ..Default::default()
    };
    assert!(titles(h, &h.a_analist, area("BU00140000")).await.is_empty());
    assert_eq!(titles(h, &h.a_analist, area("BU00140001")).await.len(), 1);
    // And a search within a theme or an area (SQLite asks its search index for the codes).
    let within = |theme: Option<&str>, code: Option<&str>| SignalFilter {
        text: Some("stromannen".into()),
        theme: theme.map(Into::into),
        area: code.map(|c| AreaCode::parse(c).unwrap()),
        ..Default::default()
    };
    for (theme, code, found) in [
        (Some("vastgoed"), None, 1),
        (Some("drugs"), None, 0),
        (None, Some("BU00140001"), 1),
        (None, Some("WK001400"), 1),
        (None, Some("BU00140000"), 0),
        (Some("vastgoed"), Some("BU00140001"), 1),
    ] {
        assert_eq!(
            titles(h, &h.a_analist, within(theme, code)).await.len(),
            found,
            "{theme:?} {code:?}"
        );
    }

    // The partner saw it under the drugs agreement; as vastgoed it is no longer shared.
    assert!(matches!(
        h.store().signal(&h.b_partner, s.id, NOW).await,
        Err(StoreError::NotFound)
    ));
    // Audited with the fields it changed; the chain holds.
    let events = h.store().audit_events(0, 10_000).await.unwrap();
    let last = events
        .iter()
        .rev()
        .find(|e| e.action.as_str() == "signal.correct")
        .unwrap();
    assert_eq!(last.object_id.as_deref(), Some(s.id.to_string().as_str()));
    assert_eq!(
        last.detail,
        "fields=title,description,sourceReliability,themes,areaCode"
    );
    assert!(matches!(verify(h).await, AuditVerification::Intact { .. }));
    // The history cannot be changed by hand.
    assert!(sqlx_err(h, "UPDATE signal_change SET new_value = 'x'").await);
    assert!(sqlx_err(h, "DELETE FROM signal_change").await);
}

async fn only_who_may_triage_or_registered_it_corrects(h: &Harness) {
    let own = h
        .signal(&h.a_toezicht, "Controle kapsalon", &["drugs"], "intern")
        .await;
    // The toezichthouder corrects their own registration; a colleague does not.
    correct(h, &h.a_toezicht, own.id, "typfout", |i| {
        i.title = Some("Controle kapper".into())
    })
    .await
    .unwrap();
    let refused = correct(h, &h.a_toezicht2, own.id, "", |i| {
        i.title = Some("x".into())
    })
    .await;
    assert!(matches!(refused, Err(StoreError::NotFound)), "{refused:?}");
    // A partner who sees it under an agreement may not correct it; an outsider does not see it.
    let shared = h
        .signal(&h.a_analist, "Drugsopslag", &["drugs"], "intern")
        .await;
    let partner = correct(h, &h.b_partner, shared.id, "", |i| {
        i.title = Some("x".into())
    })
    .await;
    assert!(
        matches!(partner, Err(StoreError::Forbidden(Denied::CorrectSignal))),
        "{partner:?}"
    );
    let outsider = correct(h, &h.c_partner, shared.id, "", |i| {
        i.title = Some("x".into())
    })
    .await;
    assert!(
        matches!(outsider, Err(StoreError::NotFound)),
        "{outsider:?}"
    );
    let lezer = correct(h, &h.a_lezer, shared.id, "", |i| i.title = Some("x".into())).await;
    assert!(matches!(
        lezer,
        Err(StoreError::NotFound | StoreError::Forbidden(_))
    ));
    let kept = h
        .store()
        .signal(&h.a_analist, shared.id, NOW)
        .await
        .unwrap();
    assert_eq!(kept.signal.title, "Drugsopslag");
    assert!(kept.corrections.is_empty());
}

async fn classification_goes_up_for_anyone_and_down_only_for_the_bibob_coordinator(h: &Harness) {
    let s = h
        .signal(&h.a_analist, "Witwassen", &["drugs"], "intern")
        .await;
    let up = correct(h, &h.a_analist, s.id, "gevoelig", |i| {
        i.classification = Some("vertrouwelijk".into())
    })
    .await
    .unwrap();
    assert_eq!(up.signal.classification.slug(), "vertrouwelijk");
    // The form says so; the store refuses it too.
    let mut input = SignalInput::from_signal(&up.signal, &up.subjects, &up.relations);
    input.classification = Some("intern".into());
    let catalogue = h.store().catalogue().await.unwrap();
    let refused = SignalCorrection::parse(
        &input,
        "",
        &up.signal,
        &catalogue,
        &h.a_analist,
        &IntakePolicy::default(),
        NOW,
    )
    .unwrap_err();
    assert_eq!(
        refused.for_field("classification"),
        Some(&baken_core::validation::Problem::LoweringClassificationReserved)
    );
    let down = correct_parsed_by(h, &h.a_bibob, &h.a_analist, s.id, "", |i| {
        i.classification = Some("intern".into())
    })
    .await;
    assert!(
        matches!(
            down,
            Err(StoreError::Forbidden(Denied::LowerClassification))
        ),
        "{down:?}"
    );
    let down = correct(h, &h.a_bibob, s.id, "toch niet gevoelig", |i| {
        i.classification = Some("openbaar".into());
        i.sharing = Some("eigen-organisatie".into());
    })
    .await
    .unwrap();
    assert_eq!(down.signal.classification.slug(), "openbaar");
    assert_eq!(down.corrections.len(), 2);
    // The chain records the guarded state: verification holds.
    assert!(matches!(verify(h).await, AuditVerification::Intact { .. }));
    // By hand the classification still cannot change, and past the guard it is found.
    let id = s.id;
    assert!(
        sqlx_err(h, &format!("UPDATE signal SET classification = 'intern', classification_rank = 1 WHERE id = '{id}'")).await
    );
    assert!(
        sqlx_err(
            h,
            &format!("UPDATE signal SET guard_version = guard_version + 1 WHERE id = '{id}'")
        )
        .await,
        "the version moves only with the guarded fields"
    );
    h.raw(&format!(
        "UPDATE signal SET classification = 'vertrouwelijk', classification_rank = 2, \
         guard_version = guard_version + 1 WHERE id = '{id}'"
    ))
    .await;
    match verify(h).await {
        AuditVerification::StateAltered(StateBreak::NotAsRecorded { record, id: found }) => {
            assert_eq!((record, found), (GuardedRecord::Signal, id.to_string()));
        }
        other => panic!("not found: {other:?}"),
    }
}

async fn corrected_subjects_follow_in_linking(h: &Harness) {
    let a = &h.a_analist;
    let with = |subjects: Vec<SubjectInput>| {
        move |i: &mut SignalInput| {
            i.subjects = subjects;
        }
    };
    let first = h
        .signal_with(
            a,
            "Eerste",
            &["drugs"],
            "intern",
            with(vec![person("Jan de Vries", "12-04-1979")]),
        )
        .await;
    let second = h
        .signal_with(
            a,
            "Tweede",
            &["drugs"],
            "intern",
            with(vec![person("Jan de Vries", "12-04-1979")]),
        )
        .await;
    let mention = |id: Uuid| async move {
        h.store().signal(a, id, NOW).await.unwrap().subjects[0]
            .subject
            .id
    };
    let (jan1, jan2) = (mention(first.id).await, mention(second.id).await);
    let jan = h.store().subject_entity(a, jan1, NOW).await.unwrap();
    assert_eq!(h.store().subject_entity(a, jan2, NOW).await.unwrap(), jan);

    // The first signal named the wrong man: Piet Bakker instead, plus the address, related.
    let d = correct(h, a, first.id, "verkeerde persoon", |i| {
        i.subjects = vec![
            person("Piet Bakker", "03-02-1970"),
            SubjectInput {
                kind: Some("adres".into()),
                role: Some("locatie".into()),
                postcode: Some("9711 AA".into()),
                house_number: Some("1".into()),
                ..Default::default()
            },
        ];
        i.relations = vec![RelationInput {
            from: Some(0),
            to: Some(1),
            kind: Some("woont-op".into()),
            ..Default::default()
        }];
    })
    .await
    .unwrap();
    assert_eq!(d.subjects.len(), 2);
    assert_eq!(d.relations.len(), 1);
    let changed: Vec<CorrectedField> = d.corrections[0].changes.iter().map(|c| c.field).collect();
    assert_eq!(
        changed,
        vec![CorrectedField::Subjects, CorrectedField::Relations]
    );
    assert!(d.corrections[0].changes[0].old.contains("Jan de Vries"));
    assert!(d.corrections[0].changes[0].new.contains("Piet Bakker"));

    // Jan's dossier no longer lists the first signal; the old mention is gone from view.
    let reason = baken_core::access::DossierReason::parse("controle correctie")
        .unwrap()
        .unwrap();
    let dossier = h.store().dossier(a, jan, Some(&reason), NOW).await.unwrap();
    let signals: Vec<&str> = dossier.signals.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(signals, vec!["Tweede"]);
    assert!(h.store().subject_entity(a, jan1, NOW).await.is_err());
    // The new mention links like any other: a later signal about Piet joins it.
    let piet1 = d.subjects[0].subject.id;
    let third = h
        .signal_with(
            a,
            "Derde",
            &["drugs"],
            "intern",
            with(vec![person("Piet Bakker", "03-02-1970")]),
        )
        .await;
    let piet3 = mention(third.id).await;
    assert_eq!(
        h.store().subject_entity(a, piet1, NOW).await.unwrap(),
        h.store().subject_entity(a, piet3, NOW).await.unwrap()
    );
    // Searching the corrected names finds the signal as corrected.
    let search = |q: &str| SignalFilter {
        text: Some(q.into()),
        ..Default::default()
    };
    let found = titles(h, a, search("Bakker")).await;
    assert!(found.contains(&"Eerste".to_string()), "{found:?}");
    assert!(!titles(h, a, search("Vries"))
        .await
        .contains(&"Eerste".to_string()));
    // A mention that stays keeps its id when only its role changes.
    let d = correct(h, a, first.id, "rol", |i| {
        i.subjects[0].role = Some("eigenaar".into());
    })
    .await
    .unwrap();
    assert_eq!(d.subjects[0].subject.id, piet1);
    assert_eq!(d.subjects[0].role.slug(), "eigenaar");
    assert!(matches!(verify(h).await, AuditVerification::Intact { .. }));
}
