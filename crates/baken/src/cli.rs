//! The command-line interface. Help texts are user interface, so they are Dutch.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "baken",
    version,
    about = "Baken: informatieplatform voor de gemeentelijke aanpak van ondermijning",
    disable_help_subcommand = true
)]
pub struct Cli {
    /// Optioneel TOML-configuratiebestand.
    #[arg(long, global = true, env = "BAKEN_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args, Clone)]
pub struct StoreArgs {
    /// Map voor de ingebouwde database en andere gegevens.
    #[arg(long, env = "BAKEN_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// postgres://… om PostgreSQL te gebruiken in plaats van de ingebouwde SQLite-database.
    #[arg(long, env = "BAKEN_DATABASE_URL")]
    pub database_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start de webinterface en de API.
    Serve {
        /// Adres en poort om op te luisteren.
        #[arg(long, env = "BAKEN_BIND")]
        bind: Option<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Start met een vers gegenereerde demodataset op de ingebouwde database.
    Demo {
        /// Adres en poort om op te luisteren.
        #[arg(long, env = "BAKEN_BIND")]
        bind: Option<String>,
        /// Map van de demodatabase (standaard: baken-demo).
        #[arg(long)]
        data_dir: Option<PathBuf>,
        /// Genereer de dataset en stop zonder de server te starten.
        #[arg(long)]
        no_serve: bool,
        /// standaard (een jaar van alles, teruggerekend vanaf vandaag) of groningen-plan
        /// (Groningen 2023–2025: de registratie achter de cijfers van het uitvoeringsplan).
        #[arg(long, default_value = "standaard")]
        scenario: String,
    },
    /// Werk het databaseschema bij.
    Migrate {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Organisaties.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// Gebiedsstatistiek op willekeurige vlakken en waarden (controleerbaar met andere software).
    Analyse {
        #[command(subcommand)]
        command: AnalyseCommand,
    },
    /// Koppelen: dezelfde persoon, organisatie, adres of voertuig in verschillende bronnen vinden.
    /// Zonder opdracht: koppel alle betrokkenen opnieuw (als `baken link run`).
    #[command(args_conflicts_with_subcommands = true)]
    Link {
        #[command(subcommand)]
        command: Option<LinkCommand>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Gegevens in bulk inlezen.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Gebieden: buurten, wijken, bedrijventerreinen en buitengebied.
    Areas {
        #[command(subcommand)]
        command: AreasCommand,
    },
    /// Convenanten: wat organisaties met elkaar delen.
    Agreement {
        #[command(subcommand)]
        command: AgreementCommand,
    },
    /// Gebruikersaccounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Persoonlijke API-tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// De casustafel: casussen met besluiten en acties exporteren, open acties opvragen.
    Case {
        #[command(subcommand)]
        command: CaseCommand,
    },
    /// De rapportage voor de raad: per thema wat beloofd, gedaan en gepland is, met cijfers
    /// berekend uit de vastgelegde gegevens (HTML, PDF of XLSX).
    Report(ReportArgs),
    /// Maak een reservekopie van de ingebouwde database met het anker van het auditspoor,
    /// ook terwijl Baken draait. Bewaar de kopie even zorgvuldig als de gegevensmap.
    Backup {
        /// Het nieuwe bestand voor de kopie.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Zet een reservekopie terug in een lege gegevensmap en controleer het auditspoor.
    Restore {
        /// De reservekopie (gemaakt met `baken backup`).
        #[arg(long)]
        from: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Het auditspoor.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Bewaartermijnen: verwijder signalen voorbij hun bewaartermijn waar niets op volgde
    /// (geen casus, interventie, barrière of veldbevinding), casussen en Bibob-dossiers jaren
    /// na afsluiten of besluit ([retention]) die niet op slot staan, met alles wat erbij hoort
    /// (er blijft alleen een grafsteen), oude regels van het verwerkingenlogboek en de inhoud
    /// van oude auditregels. `baken serve` doet dit elk uur.
    Purge {
        /// Tel alleen wat verwijderd zou worden.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Juridisch slot: een signaal, casus of interventie niet verwijderen zolang bezwaar,
    /// beroep of een verzoek van de betrokkene loopt.
    Hold {
        #[command(subcommand)]
        command: HoldCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum HoldCommand {
    /// Zet een signaal, casus of interventie op slot.
    Place {
        /// Het nummer van het signaal, de casus of de interventie.
        #[arg(value_name = "NUMMER")]
        record: String,
        /// Waarom: bezwaar, beroep of verzoek (van de betrokkene).
        #[arg(long = "grond", value_enum)]
        ground: HoldGroundArg,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Haal het slot van een signaal, casus of interventie.
    Lift {
        /// Het nummer van het signaal, de casus of de interventie.
        #[arg(value_name = "NUMMER")]
        record: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HoldGroundArg {
    Bezwaar,
    Beroep,
    Verzoek,
}

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Toon alle organisaties.
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Voeg een organisatie toe.
    Add {
        /// Naam, bijvoorbeeld "Politie Noord-Nederland".
        #[arg(long)]
        name: String,
        /// gemeente, politie, waterschap, riec, inspectie, belangenorganisatie of overig.
        #[arg(long, default_value = "gemeente")]
        kind: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, Args, Clone)]
pub struct AnalyseArgs {
    /// GeoJSON-bestand met de vlakken (een FeatureCollection).
    #[arg(long)]
    pub areas: PathBuf,
    /// Eigenschap van elk vlak met zijn id.
    #[arg(long)]
    pub id_property: String,
    /// CSV met per rij een id en een waarde (met kopregel).
    #[arg(long)]
    pub values: PathBuf,
    /// queen (gedeeld hoekpunt) of rook (gedeelde zijde).
    #[arg(long, default_value = "queen")]
    pub weights: String,
    /// Aantal permutaties voor de pseudo-p-waarden.
    #[arg(long, default_value_t = 999)]
    pub permutations: usize,
    /// Startgetal van de toevalsgenerator; dezelfde waarde geeft dezelfde uitkomst.
    #[arg(long, default_value_t = 12345)]
    pub seed: u64,
    /// Uitvoerbestand (CSV).
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum AnalyseCommand {
    /// Lokale Moran's I en Getis-Ord Gi* per vlak, met z-waarden en pseudo-p-waarden.
    Local(AnalyseArgs),
    /// Globale Moran's I.
    Global(AnalyseArgs),
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Lees objecten voor veldwerk in (agrarische bedrijven, bedrijfspanden, ondernemingen) uit
    /// een CSV- of XLSX-bestand met de kolommen naam, adres (niet verplicht) en gebied (niet verplicht).
    Objects {
        file: PathBuf,
        /// agrarisch-bedrijf, bedrijfspand of onderneming.
        #[arg(long)]
        kind: String,
        /// E-mailadres van de analist of beheerder namens wie wordt ingelezen.
        #[arg(long = "as")]
        as_user: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Lees signalen in uit een CSV- of XLSX-bestand met een kolomkoppeling (TOML). Standaard
    /// alles of niets: bij één foute rij wordt niets opgeslagen.
    Signals {
        /// Het CSV- of XLSX-bestand.
        file: PathBuf,
        /// De kolomkoppeling (TOML).
        #[arg(long)]
        mapping: PathBuf,
        /// E-mailadres van de gebruiker namens wie wordt ingelezen (de signalen worden van diens organisatie).
        #[arg(long = "as")]
        as_user: String,
        /// Alleen controleren; niets opslaan.
        #[arg(long)]
        dry_run: bool,
        /// Goede rijen opslaan en foute rijen melden, in plaats van alles of niets.
        #[arg(long, conflicts_with = "dry_run")]
        skip_invalid: bool,
        /// Betrokkenen nog niet koppelen (sneller bij miljoenen rijen); koppel later met `baken link run`.
        #[arg(long)]
        no_link: bool,
        /// Schrijf alle fouten als CSV (rij, kolom, probleem) naar dit bestand.
        #[arg(long)]
        report: Option<PathBuf>,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum AreasCommand {
    /// Importeer gebieden uit een GeoJSON-bestand (WGS84); bestaande gebieden met dezelfde code en hetzelfde jaar worden vervangen.
    Import {
        /// Het GeoJSON-bestand (een FeatureCollection).
        file: PathBuf,
        /// buurt, wijk, gemeente, bedrijventerrein of buitengebied.
        #[arg(long)]
        kind: String,
        /// Peiljaar van de grenzen, bijvoorbeeld 2024.
        #[arg(long)]
        year: i32,
        /// Eigenschap met de code (standaard statcode; voor eigen gebieden wordt de code anders uit de naam gemaakt).
        #[arg(long)]
        id_property: Option<String>,
        /// Eigenschap met de naam (standaard statnaam, naam of name).
        #[arg(long)]
        name_property: Option<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Lees de basis voor cijfers per gebied in (inwoners, adressen of bedrijven) uit CSV of XLSX: één rij per gebied.
    Bases {
        /// Het bestand (CSV met ; of , of XLSX) met een kolom gebiedscode en een kolom aantal.
        file: PathBuf,
        /// inwoners, adressen of bedrijven.
        #[arg(long)]
        kind: String,
        /// Peiljaar van de aantallen.
        #[arg(long)]
        year: i32,
        /// Bron van de aantallen, bijvoorbeeld "CBS Kerncijfers wijken en buurten 2024".
        #[arg(long)]
        source: String,
        /// Kolom met de gebiedscode (standaard: code).
        #[arg(long, default_value = "code")]
        code_column: String,
        /// Kolom met het aantal (standaard: aantal).
        #[arg(long, default_value = "aantal")]
        value_column: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum AgreementCommand {
    /// Toon alle convenanten met organisaties, thema's en looptijd.
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Beëindig een convenant: na de laatste dag wordt er niets meer onder gedeeld.
    End {
        /// Naam van het convenant.
        #[arg(long)]
        name: String,
        /// De laatste dag waarop het geldt (dd-mm-jjjj of jjjj-mm-dd).
        #[arg(long)]
        last_day: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Leg een convenant vast tussen twee of meer organisaties.
    Add {
        /// Naam van het convenant.
        #[arg(long)]
        name: String,
        /// Deelnemende organisatie (herhaal voor elke organisatie, minstens twee).
        #[arg(long = "org", required = true)]
        orgs: Vec<String>,
        /// Thema dat gedeeld mag worden (herhaal voor meer thema's), bijvoorbeeld drugs.
        #[arg(long = "theme", required = true)]
        themes: Vec<String>,
        /// Hoogste classificatie die gedeeld mag worden: openbaar, intern of vertrouwelijk.
        #[arg(long, default_value = "intern")]
        max_classification: String,
        /// Wettelijke grondslag, bijvoorbeeld het RIEC-convenant.
        #[arg(long)]
        legal_basis: String,
        /// Doelen waarvoor gedeeld wordt.
        #[arg(long, default_value = "")]
        purposes: String,
        /// Eerste geldige dag (JJJJ-MM-DD).
        #[arg(long)]
        valid_from: String,
        /// Laatste geldige dag (JJJJ-MM-DD); leeg voor onbepaalde tijd.
        #[arg(long)]
        valid_until: Option<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Voeg een gebruiker toe; het wachtwoord wordt van standaardinvoer gelezen.
    Add {
        /// Naam van de organisatie van de gebruiker.
        #[arg(long)]
        org: String,
        /// Rol (herhaal voor meer rollen): analist, bibob-coordinator, casustafel-lid, voorzitter, toezichthouder, partner, lezer, beheerder, auditor.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// E-mailadres; hiermee logt de gebruiker in.
        #[arg(long)]
        email: String,
        /// Weergavenaam (standaard: het deel van het e-mailadres vóór @).
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Toon alle gebruikers met organisatie, rollen, status en laatste aanmelding.
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Vervang de rollen van een gebruiker.
    Roles {
        /// E-mailadres van de gebruiker.
        #[arg(long)]
        email: String,
        /// De nieuwe rol (herhaal voor meer rollen).
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Schakel een account uit: de sessies eindigen, tokens werken niet meer.
    Deactivate {
        /// E-mailadres van de gebruiker.
        #[arg(long)]
        email: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Schakel een uitgeschakeld account weer in.
    Reactivate {
        /// E-mailadres van de gebruiker.
        #[arg(long)]
        email: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Stel een tijdelijk wachtwoord in (één keer getoond); de gebruiker kiest bij de
    /// volgende aanmelding een nieuw wachtwoord. Lopende sessies eindigen.
    ResetPassword {
        /// E-mailadres van de gebruiker.
        #[arg(long)]
        email: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Maak een persoonlijk API-token; het wordt één keer getoond en alleen als hash bewaard.
    Create {
        /// E-mailadres van de gebruiker voor wie het token is.
        #[arg(long)]
        email: String,
        /// Omschrijving van het token.
        #[arg(long, default_value = "cli")]
        label: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Toon tokens (nooit het token zelf) met aanmaakdatum, laatste gebruik en intrekking.
    List {
        /// Alleen de tokens van deze gebruiker.
        #[arg(long)]
        email: Option<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Trek een token in; het werkt meteen niet meer.
    Revoke {
        /// Het kenmerk uit `baken token list` (minstens 8 tekens).
        #[arg(long)]
        id: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// Exporteer casussen als JSON: per casus de leden, het verloop, de signalen die de
    /// gebruiker zelf mag zien, de besluiten met hun motivering en de acties. Alleen wat de
    /// gebruiker mag zien; elke gelezen casus komt in het auditspoor.
    Export {
        /// E-mailadres van de gebruiker namens wie wordt geëxporteerd.
        #[arg(long = "as")]
        as_user: String,
        /// Alleen deze casus (id); anders alle lopende casussen.
        #[arg(long)]
        id: Option<String>,
        /// Ook afgesloten casussen.
        #[arg(long, conflicts_with = "id")]
        include_closed: bool,
        /// Waarom, voor casussen waarop de gebruiker niet als eigenaar of lid staat (vastgelegd
        /// in het auditspoor).
        #[arg(long = "reden")]
        reason: Option<String>,
        /// Uitvoerbestand (JSON); zonder: standaarduitvoer.
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// De open acties die de gebruiker of diens organisatie uitvoert, als CSV (uiterlijk, te
    /// laat, actie, casus, uitvoerder); afsluitcode 1 als er een actie te laat is.
    Actions {
        /// E-mailadres van de gebruiker.
        #[arg(long = "as")]
        as_user: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// E-mailadres van de gebruiker namens wie de rapportage wordt gemaakt: de cijfers zijn
    /// wat deze gebruiker mag zien.
    #[arg(long = "as")]
    pub as_user: String,
    /// Kalenderjaar (standaard: dit jaar).
    #[arg(long)]
    pub year: Option<String>,
    /// Eerste dag (JJJJ-MM-DD of dd-mm-jjjj), samen met --until in plaats van --year.
    #[arg(long, requires = "until", conflicts_with = "year")]
    pub from: Option<String>,
    /// Laatste dag (telt mee).
    #[arg(long, requires = "from")]
    pub until: Option<String>,
    /// Alleen deze thema's, met komma's: bibob, controles, drugs, mensenhandel, vastgoed,
    /// zorgfraude, bedrijventerreinen, buitengebied, cybercrime.
    #[arg(long)]
    pub theme: Option<String>,
    /// team (exact waar de gebruiker de gegevens mag zien) of extern (kleine aantallen
    /// afgeschermd, voor de raad en het publiek).
    #[arg(long, default_value = "team")]
    pub readers: String,
    /// html, pdf of xlsx.
    #[arg(long)]
    pub format: String,
    /// Uitvoerbestand.
    #[arg(long)]
    pub out: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Controleer de hashketen; afsluitcode 0 als die intact is, anders 1 met de eerste foute gebeurtenis.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Leg de kop van de hashketen vast in audit.checkpoints (ondertekend met de sleutel) en
    /// toon de regel, om aan een getuige te geven; Baken doet dit ook bij starten, elke tien
    /// minuten en bij stoppen.
    Checkpoint {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Schrijf gebeurtenissen uit het auditspoor als CSV (nieuwste eerst, hoogstens 100.000),
    /// namens een beheerder of auditor; ook dit lezen komt in het auditspoor.
    Export {
        /// E-mailadres van de beheerder of auditor namens wie wordt gelezen.
        #[arg(long = "as")]
        as_user: String,
        /// Alleen gebeurtenissen van deze gebruiker (e-mailadres).
        #[arg(long)]
        user: Option<String>,
        /// Alleen deze actie, bijvoorbeeld signal.read of session.login.
        #[arg(long)]
        action: Option<String>,
        /// Alleen over deze soort object, bijvoorbeeld signal of user.
        #[arg(long)]
        object: Option<String>,
        /// Alleen over het object met dit kenmerk.
        #[arg(long)]
        object_id: Option<String>,
        /// Eerste dag (dd-mm-jjjj).
        #[arg(long)]
        from: Option<String>,
        /// Laatste dag (dd-mm-jjjj).
        #[arg(long)]
        until: Option<String>,
        /// Het CSV-bestand.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum LinkCommand {
    /// Koppel alle betrokkenen opnieuw: sleutels, model (EM), scores en entiteiten; oordelen en entiteitnummers blijven.
    Run {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Ontdubbel één bestand of koppel twee bestanden (CSV of XLSX); schrijft één rij per gekoppeld paar met de score.
    File(LinkFileArgs),
}

#[derive(Debug, clap::Args)]
pub struct LinkFileArgs {
    /// Het bestand om te ontdubbelen, of het eerste van twee om te koppelen.
    pub first: PathBuf,
    /// Het tweede bestand (koppelen); zonder: ontdubbelen.
    pub second: Option<PathBuf>,
    /// Kolom met de unieke sleutel van een rij.
    #[arg(long)]
    pub id_column: String,
    /// TOML-bestand met [columns]: soort veld = kolomnaam (given_name, surname, full_name, date_of_birth, street, house_number, postcode, city, organisation_name, identifier, phone, email, plate, kvk, bag_id, bsn_hash, address_code = postcode en huisnummer in één kolom, rsin, legal_form). Zonder: kolommen die zo heten.
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// Uitvoerbestand (CSV).
    #[arg(long)]
    pub out: PathBuf,
    /// Koppelkans vanaf welke een paar wordt gekoppeld (0 tot 1).
    #[arg(long, default_value_t = baken_link::DEFAULT_THRESHOLD)]
    pub threshold: f64,
    /// Toon het geschatte model: per veld en niveau m, u en het gewicht.
    #[arg(long)]
    pub show_model: bool,
    /// Paren die records met tegenstrijdige gegevens (geboortedatum, BSN, KvK, RSIN, BAG-id,
    /// rechtsvorm) zouden samenvoegen: weigeren (standaard), of toestaan voor gegevens waarin
    /// die velden onbetrouwbaar zijn.
    #[arg(long, value_enum, default_value_t = ConflictPolicy::Refuse)]
    pub conflicts: ConflictPolicy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ConflictPolicy {
    Refuse,
    Allow,
}
