//! A store's failures as whoever runs Baken needs them on the command line: what the database
//! server, the database file, the schema or the data directory said, in Dutch, with what to do
//! where there is something to do. (The web pages say only that the database failed; the
//! failure itself is logged.)

use baken_store::anchor::AnchorError;
use baken_store::{DatabaseFailure, MigrationFailure, OpenRefused, StoreError};
use std::io::ErrorKind;

/// A store error in one sentence for whoever runs Baken.
pub fn operator_error(error: &StoreError) -> String {
    if let Some(failure) = error.migration_failure() {
        return migration(failure);
    }
    if let Some(failure) = error.database_failure() {
        return database(failure);
    }
    match error {
        StoreError::Opening(refused) => opening(refused),
        other => super::store_error(other),
    }
}

fn database(failure: DatabaseFailure) -> String {
    match failure {
        DatabaseFailure::Unreachable(kind) => {
            // An unknown host name has no kind of its own.
            let why = match io_kind(kind) {
                OTHER_IO => "adres niet gevonden of niet bereikbaar",
                known => known,
            };
            format!("de databaseserver is niet bereikbaar ({why})")
        }
        DatabaseFailure::TimedOut => "de databaseserver reageerde niet op tijd".into(),
        DatabaseFailure::Tls => "de beveiligde verbinding met de databaseserver is mislukt".into(),
        DatabaseFailure::BadUrl => {
            "het databaseadres (--database-url of BAKEN_DATABASE_URL) is ongeldig".into()
        }
        DatabaseFailure::NoSuchDatabase => {
            "de database uit het databaseadres bestaat niet op de databaseserver".into()
        }
        DatabaseFailure::LoginRefused => {
            "de databaseserver weigert de aanmelding met de gebruikersnaam en het wachtwoord uit \
             het databaseadres (of staat verbindingen van deze computer niet toe)"
                .into()
        }
        DatabaseFailure::NotReady => {
            "de databaseserver start op of sluit af; probeer het zo opnieuw".into()
        }
        DatabaseFailure::TooManyConnections => {
            "de databaseserver heeft geen verbindingen meer vrij".into()
        }
        DatabaseFailure::FileCannotOpen => {
            "het databasebestand kan niet worden geopend of aangemaakt".into()
        }
        DatabaseFailure::NotADatabase => "het databasebestand is geen SQLite-database".into(),
        DatabaseFailure::Busy => "het databasebestand is in gebruik door een ander proces".into(),
        DatabaseFailure::Other => "de database gaf een fout".into(),
    }
}

fn migration(failure: MigrationFailure) -> String {
    match failure {
        MigrationFailure::Newer(v) => format!(
            "de database is bijgewerkt door een nieuwere versie van Baken (migratie {v} is \
             onbekend): gebruik die versie"
        ),
        MigrationFailure::Changed(v) => {
            format!("migratie {v} in de database verschilt van die van deze versie van Baken")
        }
        MigrationFailure::Unfinished(v) => format!(
            "migratie {v} is eerder halverwege afgebroken: zet de database terug uit een \
             reservekopie (baken backup)"
        ),
        MigrationFailure::Failed(failure) => format!(
            "het databaseschema kon niet worden bijgewerkt: {}",
            database(failure)
        ),
    }
}

const GIVE_THE_DATA_DIRECTORY: &str =
    "geef de gegevensmap van de installatie op (--data-dir of BAKEN_DATA_DIR)";

fn opening(refused: &OpenRefused) -> String {
    match refused {
        OpenRefused::DataDirectory { dir, source } => format!(
            "de gegevensmap {} kan niet worden aangemaakt ({})",
            dir.display(),
            io_kind(source.kind())
        ),
        OpenRefused::Anchor(AnchorError::Io { path, source }) => format!(
            "{} kan niet worden gelezen of geschreven ({})",
            path.display(),
            io_kind(source.kind())
        ),
        OpenRefused::Anchor(AnchorError::BadKey { path }) => {
            format!(
                "{} is geen auditsleutel (64 hexadecimale tekens)",
                path.display()
            )
        }
        OpenRefused::Anchor(AnchorError::BadLine { path, line }) => format!(
            "{} regel {line}: niet ondertekend met de auditsleutel van deze installatie",
            path.display()
        ),
        OpenRefused::Anchor(AnchorError::KeyMissing { dir }) => format!(
            "{} bevat geen auditsleutel, en de gebeurtenissen in deze database zijn met een \
             sleutel ondertekend: {GIVE_THE_DATA_DIRECTORY}",
            dir.display()
        ),
        OpenRefused::Anchor(AnchorError::ForeignKey { path }) => format!(
            "{} is niet de auditsleutel waarmee de gebeurtenissen in deze database zijn \
             ondertekend: {GIVE_THE_DATA_DIRECTORY}",
            path.display()
        ),
    }
}

/// An input or output error of a kind without words of its own.
const OTHER_IO: &str = "invoer- of uitvoerfout";

fn io_kind(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::ConnectionRefused => "verbinding geweigerd",
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe => {
            "verbinding verbroken"
        }
        ErrorKind::NotFound => "niet gevonden",
        ErrorKind::PermissionDenied => "geen toegang",
        ErrorKind::TimedOut => "geen antwoord op tijd",
        ErrorKind::AddrNotAvailable
        | ErrorKind::HostUnreachable
        | ErrorKind::NetworkUnreachable => "adres niet bereikbaar",
        ErrorKind::ReadOnlyFilesystem => "alleen-lezen bestandssysteem",
        ErrorKind::NotADirectory => "een deel van het pad is geen map",
        ErrorKind::AlreadyExists => "bestaat al",
        ErrorKind::StorageFull => "de schijf is vol",
        _ => OTHER_IO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forgotten_data_directory_says_what_to_give() {
        let e = StoreError::Opening(OpenRefused::Anchor(AnchorError::KeyMissing {
            dir: "/srv/elders".into(),
        }));
        let said = operator_error(&e);
        assert!(
            said.starts_with("/srv/elders bevat geen auditsleutel"),
            "{said}"
        );
        assert!(said.contains("--data-dir"), "{said}");
    }
}
