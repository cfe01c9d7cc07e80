//! The Dutch names and definitions of the council report: chapters, figures (with the
//! definition printed under each), breakdowns and effects.

use super::Label;
use baken_core::activity::ActivityKind;
use baken_core::barrier::BarrierTemplate;
use baken_core::intervention::details::{
    BibobDecisionKind, BibobOutcome, BibobTrigger, Branch, ControlPartner, ControlTeam,
};
use baken_core::model::Slug;
use baken_core::report::effects::EffectKey;
use baken_core::report::{
    Dimension, FigureKey, RecordKind, ReportChapter, ReportReaders, ReportStage,
};

labels!(ReportChapter {
    Bibob => "Wet Bibob",
    Controls => "Integrale controles",
    Drugs => "Drugs",
    Trafficking => "Mensenhandel en arbeidsuitbuiting",
    RealEstate => "Vastgoed en witwassen",
    CareFraud => "Zorgfraude",
    BusinessParks => "Bedrijventerreinen",
    Rural => "Buitengebied",
    Cyber => "Cybercrime",
});

labels!(ReportStage {
    Commitments => "toezeggingen lezen",
    Activities => "activiteiten lezen",
    Interventions => "interventies lezen",
    Visits => "veldbezoeken lezen",
    ThemeSignals => "signalen lezen voor de effecten",
    Figures => "cijfers en effecten berekenen",
});

labels!(ReportReaders {
    Team => "het team",
    Outside => "lezers buiten het team",
});

labels!(FigureKey {
    BibobScreenings => "Bibob-toetsingen gestart",
    BibobDecided => "Bibob-toetsingen afgerond",
    BibobRunning => "Bibob-toetsingen lopend aan het eind van de periode",
    BibobAdviceRequests => "Adviesaanvragen bij het Landelijk Bureau Bibob",
    ControlsHeld => "Integrale controles uitgevoerd",
    ControlFindings => "Bevindingen van integrale controles",
    ControlsOnTrafficking => "Controles die ook op mensenhandel letten",
    Closures => "Panden gesloten (art. 13b Opiumwet)",
    ClosuresWithCare => "Sluitingen waarbij hulpverlening is besproken",
    PoliceReports => "Bestuurlijke rapportages van de politie",
    Warnings => "Waarschuwingen (art. 13b Opiumwet)",
    PenaltyOrders => "Lasten onder dwangsom gestart",
    Enforcements => "Lasten onder bestuursdwang gestart",
    BarriersApplied => "Barrières toegepast",
    ParkInspections => "Schouwen op bedrijventerreinen",
    FarmVisits => "Erfbezoeken",
    FarmVisitSignals => "Meldingen gedaan tijdens erfbezoeken",
    SchoolClasses => "HackShield-lessen (per schooljaar)",
    Activities => "Activiteiten (voorlichting, trainingen, campagnes)",
});

/// What a figure counts, printed under it.
pub fn definition(key: FigureKey) -> &'static str {
    match key {
        FigureKey::BibobScreenings => "Bibob-onderzoeken van de eigen organisatie die in de periode zijn geregistreerd, naar soort beschikking en uitkomst. De soorten tellen altijd op tot het totaal: elk onderzoek heeft één soort.",
        FigureKey::BibobDecided => "Bibob-onderzoeken met een besluit (of buiten behandeling gesteld, aanvraag ingetrokken, geen besluit nodig) op een dag in de periode.",
        FigureKey::BibobRunning => "Bibob-onderzoeken die op of vóór de laatste dag van de periode zijn gestart en op die dag nog geen besluit hadden.",
        FigureKey::BibobAdviceRequests => "Bibob-onderzoeken met de stap 'advies aangevraagd' (Landelijk Bureau Bibob) op een dag in de periode.",
        FigureKey::ControlsHeld => "Integrale controles met de stap 'controle uitgevoerd' op een dag in de periode, naar branche, team en deelnemende partner (een controle telt bij elke partner mee).",
        FigureKey::ControlFindings => "Vastgelegde bevindingen van de integrale controles die in de periode zijn uitgevoerd, naar de partner die ze vastlegde.",
        FigureKey::ControlsOnTrafficking => "Integrale controles uitgevoerd in de periode die ook naar signalen van mensenhandel keken ('ook gekeken naar: mensenhandel'); 'van' is het aantal controles.",
        FigureKey::Closures => "Procedures art. 13b Opiumwet met de stap 'gesloten' op een dag in de periode.",
        FigureKey::ClosuresWithCare => "Van de sluitingen in de periode: die waarbij is vastgelegd dat hulpverlening is besproken.",
        FigureKey::PoliceReports => "Procedures art. 13b Opiumwet met de stap 'rapportage ontvangen' (bestuurlijke rapportage van de politie) op een dag in de periode.",
        FigureKey::Warnings => "Procedures art. 13b Opiumwet met de stap 'waarschuwing' op een dag in de periode.",
        FigureKey::PenaltyOrders => "Lasten onder dwangsom die in de periode zijn geregistreerd (alle grondslagen; in het plan: straathandel in drugs).",
        FigureKey::Enforcements => "Lasten onder bestuursdwang die in de periode zijn geregistreerd.",
        FigureKey::BarriersApplied => "Barrières van het barrièremodel met als laatste beoordeling 'toegepast', van alle barrières van het model (stand van nu). Eigen werk, geen gegevens over personen: niet afgeschermd.",
        FigureKey::ParkInspections => "Veldbezoeken van de soort schouw met een bezoekdag in de periode.",
        FigureKey::FarmVisits => "Veldbezoeken van de soort erfbezoek met een bezoekdag in de periode.",
        FigureKey::FarmVisitSignals => "Bevindingen van erfbezoeken in de periode die als signaal zijn vastgelegd; 'van' is het aantal erfbezoeken. De onderliggende gegevens zijn de bezoeken.",
        FigureKey::SchoolClasses => "Schoollessen gegeven in de periode, naar schooljaar (1 augustus tot en met 31 juli). Van een schooljaar dat maar voor een deel in de periode valt, tellen alleen de lessen in de periode; kies de periode 1 augustus tot en met 31 juli voor hele schooljaren. Eigen werk: niet afgeschermd.",
        FigureKey::Activities => "Voorlichting, trainingen en campagnes op dit thema met een datum in de periode. Eigen werk: niet afgeschermd.",
    }
}

labels!(Dimension {
    DecisionKind => "soort beschikking",
    Outcome => "uitkomst",
    Trigger => "aanleiding",
    Branch => "branche",
    Partner => "partner",
    Team => "team",
    SchoolYear => "schooljaar",
    ActivityKind => "soort activiteit",
    Model => "barrièremodel",
    Wijk => "wijk",
});

labels!(RecordKind {
    Intervention => "interventie",
    Visit => "veldbezoek",
    Signal => "signaal",
    Activity => "activiteit",
    BarrierModel => "barrièremodel",
});

labels!(EffectKey {
    CareDiscussed => "Hulpverlening besproken bij sluitingen",
    DecisionToClosure => "Dagen van besluit tot sluiting",
    BibobDuration => "Doorlooptijd van Bibob-onderzoeken (dagen)",
    BibobOutcomeByTrigger => "Weigering of intrekking naar aanleiding van het Bibob-onderzoek",
    ControlYield => "Bevindingen per integrale controle",
    ControlFollowUp => "Integrale controles met een vervolg",
    SignalToDecision => "Dagen van eerste signaal tot besluit",
    RepeatAfterClosure => "Nieuwe drugssignalen na een sluiting",
    RepeatAfterWarning => "Nieuwe drugssignalen na een waarschuwing",
    RepeatAfterPenalty => "Nieuwe drugssignalen na een last onder dwangsom",
    AreaChangeAfterClosures => "Drugssignalen in een buurt voor en na sluitingen",
});

/// How an effect is measured, printed under it.
pub fn effect_definition(key: EffectKey) -> &'static str {
    match key {
        EffectKey::CareDiscussed => "Aandeel van de sluitingen in de periode waarbij hulpverlening is besproken, met het 95%-betrouwbaarheidsinterval (Wilson).",
        EffectKey::DecisionToClosure => "Dagen tussen het besluit tot sluiting en de sluiting, voor de sluitingen in de periode: mediaan en kwartielen.",
        EffectKey::BibobDuration => "Dagen tussen registratie en besluit van de Bibob-onderzoeken met een besluit in de periode: mediaan en kwartielen.",
        EffectKey::BibobOutcomeByTrigger => "Aandeel geweigerd of ingetrokken per aanleiding, onder de onderzoeken die in de periode zijn afgerond, met het 95%-interval. Alleen binnen het Bibob-compartiment.",
        EffectKey::ControlYield => "Gemiddeld aantal vastgelegde bevindingen per integrale controle in de periode, met het 95%-interval.",
        EffectKey::ControlFollowUp => "Aandeel van de integrale controles in de periode waaraan een signaal of interventie als vervolg is gekoppeld, met het 95%-interval (Wilson).",
        EffectKey::RepeatAfterClosure | EffectKey::RepeatAfterWarning | EffectKey::RepeatAfterPenalty => "Aandeel van de panden waar binnen 6, 12 of 24 maanden na de maatregel (genomen in de periode) opnieuw een drugssignaal binnenkwam: bij het pand (binnen 50 meter) of, waar dan ook, over dezelfde persoon, hetzelfde bedrijf of voertuig — de betrokkenen bij de maatregel en wie in de signalen van het jaar ervoor bij het pand werd genoemd. Ter vergelijking: evenveel panden zonder maatregel in dezelfde buurt die in het jaar ervoor ook een drugssignaal hadden — bij elk pand met een maatregel één zo'n pand. Het interval geeft aan waar het werkelijke aandeel met 95% zekerheid ligt. Alleen maatregelen met een vastgelegde plaats en waarvan de termijn voorbij is; bij minder dan 10 panden per groep trekt Baken geen vergelijking.",
        EffectKey::AreaChangeAfterClosures => "Per buurt met een sluiting in de periode (of per wijk, als alleen wijken inwonersaantallen hebben): de afwijkingsindex voor drugssignalen in het jaar na de eerste sluiting min die in het jaar ervoor. De afwijkingsindex is die van het beeld: 100 is evenveel signalen per inwoner als in alle buurten samen, 150 anderhalf keer zoveel; een verandering die alle buurten delen (overal meer meldingen) telt dus niet mee. Ter vergelijking: evenveel buurten zonder sluiting, elk met de index in het jaar ervoor die het dichtst bij die van een buurt met sluiting ligt, over dezelfde twee jaren. Het verschil tussen beide gemiddelde veranderingen, met het 95%-betrouwbaarheidsinterval, zegt of de buurten met sluitingen meer daalden dan vergelijkbare buurten. Alleen buurten met een inwonersaantal en waarvan het jaar na de sluiting voorbij is; bij minder dan 10 buurten per groep geen vergelijking.",
        EffectKey::SignalToDecision => "Dagen tussen het eerste signaal van de casus en het besluit (sluiting, last opgelegd), voor de besluiten in de periode op interventies bij een casus: mediaan en kwartielen.",
    }
}

/// The Dutch name of a breakdown's value (stored by its machine name).
pub fn value_label(dimension: Dimension, value: &str) -> String {
    fn of<S: Slug + Label>(value: &str) -> Option<&'static str> {
        S::all()
            .iter()
            .find(|s| s.slug() == value)
            .map(|s| s.label())
    }
    if value == "onbekend" {
        return "niet vastgelegd".into();
    }
    if dimension == Dimension::Outcome && value == "lopend" {
        return "nog geen besluit aan het eind van de periode".into();
    }
    let found = match dimension {
        Dimension::DecisionKind => of::<BibobDecisionKind>(value),
        Dimension::Outcome => of::<BibobOutcome>(value),
        Dimension::Trigger => of::<BibobTrigger>(value),
        Dimension::Branch => of::<Branch>(value),
        Dimension::Partner => of::<ControlPartner>(value),
        Dimension::Team => of::<ControlTeam>(value),
        Dimension::ActivityKind => of::<ActivityKind>(value),
        Dimension::Model => of::<BarrierTemplate>(value),
        // Wijken are named by the caller, who has the areas.
        Dimension::SchoolYear | Dimension::Wijk => None,
    };
    found.map_or_else(|| value.replace('/', "–"), str::to_string)
}
