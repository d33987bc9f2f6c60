// Word tables for the benchmark corpus generator (bp-gen-corpus): places,
// organisations, people and the sentence templates that vary the prose
// borrowed from the starter library. Italian, with accents and elisions.
#pragma once

#include <array>
#include <string_view>

namespace bp::bench::words {

struct RegionPlaces {
  std::string_view slug;
  std::string_view in;  // "in Piemonte", "nelle Marche"
  std::array<std::string_view, 4> cities;
};

inline constexpr RegionPlaces kRegions[] = {
    {"piemonte", "in Piemonte", {"Torino", "Cuneo", "Novara", "Asti"}},
    {"valle-d-aosta", "in Valle d'Aosta", {"Aosta", "Courmayeur", "Saint-Vincent", "Châtillon"}},
    {"lombardia", "in Lombardia", {"Milano", "Bergamo", "Brescia", "Cantù"}},
    {"trentino-alto-adige", "in Trentino-Alto Adige", {"Trento", "Bolzano", "Rovereto", "Merano"}},
    {"veneto", "in Veneto", {"Padova", "Verona", "Vicenza", "Treviso"}},
    {"friuli-venezia-giulia", "in Friuli-Venezia Giulia", {"Trieste", "Udine", "Pordenone", "Gorizia"}},
    {"liguria", "in Liguria", {"Genova", "La Spezia", "Savona", "Chiavari"}},
    {"emilia-romagna", "in Emilia-Romagna", {"Bologna", "Modena", "Forlì", "Reggio Emilia"}},
    {"toscana", "in Toscana", {"Firenze", "Prato", "Livorno", "Siena"}},
    {"umbria", "in Umbria", {"Perugia", "Terni", "Foligno", "Città di Castello"}},
    {"marche", "nelle Marche", {"Ancona", "Pesaro", "Macerata", "Fermo"}},
    {"lazio", "nel Lazio", {"Roma", "Viterbo", "Latina", "Rieti"}},
    {"abruzzo", "in Abruzzo", {"L'Aquila", "Pescara", "Chieti", "Teramo"}},
    {"molise", "in Molise", {"Campobasso", "Isernia", "Termoli", "Agnone"}},
    {"campania", "in Campania", {"Napoli", "Salerno", "Caserta", "Benevento"}},
    {"puglia", "in Puglia", {"Bari", "Lecce", "Foggia", "Nardò"}},
    {"basilicata", "in Basilicata", {"Potenza", "Matera", "Melfi", "Policoro"}},
    {"calabria", "in Calabria", {"Reggio Calabria", "Cosenza", "Catanzaro", "Crotone"}},
    {"sicilia", "in Sicilia", {"Palermo", "Catania", "Paternò", "Agrigento"}},
    {"sardegna", "in Sardegna", {"Cagliari", "Sassari", "Nuoro", "Oristano"}},
};

inline constexpr std::string_view kQuarters[] = {
    "nel centro storico",        "nel quartiere Borgo Nuovo",   "nel quartiere San Paolo",
    "nella periferia nord",      "nella zona della stazione",   "nel quartiere Sant'Agostino",
    "nella frazione di Montecalvo", "nel rione Santa Lucia",    "nel quartiere Libertà",
    "nell'ex area industriale",  "nelle case popolari di via Verdi", "nei borghi dell'entroterra",
};

inline constexpr std::string_view kOrgTypes[] = {
    "APS", "ODV", "Cooperativa sociale", "Associazione", "Fondazione",
    "Impresa sociale", "Comitato", "Rete", "Consorzio",
};

inline constexpr std::string_view kOrgNames[] = {
    "Filo Verde",     "Terra Comune",      "Il Melograno",     "Radici",          "La Bottega Solidale",
    "Ponti di Quartiere", "Mani Aperte",   "L'Albero",         "Sentieri Nuovi",  "Il Girasole",
    "Casa Comune",    "Orizzonti",         "La Rondine",       "Semi di Futuro",  "Città Solidale",
    "Il Faro",        "Arcobaleno",        "Nuova Energia",    "Il Ponte",        "Altrove",
    "Officina Sociale", "La Fabbrica dei Sogni", "Passo dopo Passo", "Tessere",   "Cantiere Comune",
    "L'Orto di Tutti", "Via Libera",       "Bene Comune",      "Dialoghi",        "Il Cortile",
    "Libera Terra",   "Gli Sbandieratori", "La Meridiana",     "Solidarietà e Lavoro", "Oltre il Muro",
};

inline constexpr std::string_view kFirstNames[] = {
    "Giulia", "Marco", "Francesca", "Luca", "Chiara", "Andrea", "Sara", "Matteo",
    "Elena", "Davide", "Martina", "Nicola", "Anna", "Paolo", "Valentina", "Simone",
    "Federica", "Stefano", "Ilaria", "Giorgio", "Lucia", "Niccolò", "Noemi", "Mattia",
};

inline constexpr std::string_view kLastNames[] = {
    "Rossi",   "Ferrero", "Esposito", "Bianchi", "Romano",  "Colombo",  "Ricci",    "Marino",
    "Greco",   "Bruno",   "Gallo",    "Conti",   "De Luca", "Mancini",  "Costa",    "Giordano",
    "Rizzo",   "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani",  "Rinaldi",
    "Caruso",  "Ferrara", "Galli",    "Martini", "Leone",   "Longo",    "D'Angelo", "Serra",
    "Fabbri",  "Sanna",   "Pellegrino", "Cocco",
};

inline constexpr std::string_view kRoles[] = {
    "coordinatrice del progetto", "presidente", "referente per le scuole", "responsabile dei volontari",
    "educatore", "project manager", "referente della rete", "direttrice",
};

inline constexpr std::string_view kProblems[] = {
    "molte famiglie faticano ad arrivare alla fine del mese",
    "i giovani lasciano il territorio in cerca di lavoro e di opportunità",
    "gli spazi pubblici del quartiere erano abbandonati da anni",
    "la rete dei servizi sociali non riesce a raggiungere tutte le persone fragili",
    "il costo dell'energia è cresciuto molto più del reddito delle famiglie",
    "ogni settimana tonnellate di cibo ancora buono finivano tra i rifiuti",
    "le scuole chiedevano percorsi concreti di educazione civica e ambientale",
    "i piccoli produttori locali non trovavano sbocchi per i loro prodotti",
    "molti anziani vivevano soli, senza occasioni di incontro né servizi vicini",
    "il trasporto pubblico non collegava le frazioni al centro e alle scuole",
    "le associazioni lavoravano ciascuna per conto proprio, senza conoscersi",
    "la dispersione scolastica superava la media regionale di diversi punti",
    "gli enti del Terzo settore dipendevano quasi solo dai contributi pubblici",
    "le persone con disabilità avevano poche occasioni di lavoro vero",
};

inline constexpr std::string_view kPeople[] = {
    "famiglie", "volontari", "studenti", "giovani", "anziani", "cittadini", "operatori",
    "insegnanti", "persone con disabilità", "richiedenti asilo", "commercianti", "agricoltori",
};

inline constexpr std::string_view kPartners[] = {
    "il Comune", "l'azienda sanitaria locale", "la parrocchia", "l'istituto comprensivo",
    "il Centro di servizio per il volontariato", "la Caritas diocesana", "l'università",
    "una banca di credito cooperativo", "la Regione", "le associazioni di categoria",
    "il consorzio di cooperative sociali", "una fondazione di origine bancaria",
};

inline constexpr std::string_view kMonths[] = {
    "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
    "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre",
};

inline constexpr std::string_view kHooks[] = {
    "una rete di quartiere che cresce",        "il modello che unisce scuole e famiglie",
    "dall'idea alla comunità",                 "un'esperienza da replicare",
    "giovani e anziani insieme",               "quando il territorio fa squadra",
    "la prova che si può fare",                "un laboratorio di partecipazione",
    "cura, lavoro e futuro",                   "piccoli passi, grandi risultati",
    "così è nata una nuova economia locale",   "volontari all'opera tutto l'anno",
};

inline constexpr std::string_view kIndicators[] = {
    "Persone coinvolte", "Volontari attivi", "Famiglie raggiunte", "Scuole partecipanti",
    "Ore di formazione", "Tonnellate di rifiuti evitate", "Posti di lavoro creati",
    "Eventi pubblici organizzati", "Enti della rete", "Kg di cibo recuperato",
};
inline constexpr std::string_view kUnits[] = {
    "persone", "volontari", "famiglie", "scuole", "ore", "tonnellate", "lavoratori", "eventi", "enti", "kg",
};

// Sentence templates by body section (same order as kSections in the
// generator). Slots: {city} {region_in} {org} {topic} {topic2} {keyword}
// {n} {n2} {pct} {year} {month} {people} {partner} {quarter} {problem}.
inline constexpr std::string_view kContextTemplates[] = {
    "A {city}, {region_in}, {problem}.",
    "{quarter} di {city} {problem}, e nessuno sembrava in grado di cambiare le cose.",
    "Quando nel {year} {org} ha cominciato a occuparsi di {topic}, a {city} non esisteva nulla di simile.",
    "Secondo i dati raccolti dal Comune, nel territorio di {city} vivono circa {n} {people} che potrebbero beneficiare di un progetto di {topic}.",
    "Il tema di {keyword} era già presente nel dibattito locale, ma mancava un soggetto capace di tenere insieme {people} e istituzioni.",
    "L'esperienza nasce {quarter} di {city}, dove {org} lavora da oltre {n2} anni.",
};
inline constexpr std::string_view kGoalTemplates[] = {
    "Coinvolgere almeno {n} {people} in attività di {topic}.",
    "Costruire una rete stabile tra {org}, {partner} e le realtà del territorio.",
    "Rendere {city} un punto di riferimento per {keyword} {region_in}.",
    "Ridurre del {pct}% i costi sostenuti dalle famiglie più fragili.",
    "Formare nuovi volontari e dare continuità al progetto oltre il finanziamento iniziale.",
};
inline constexpr std::string_view kDoneTemplates[] = {
    "Nel {month} {year} {org} ha firmato un accordo con {partner} per avviare il progetto di {topic}.",
    "Ogni settimana un gruppo di {n2} volontari si incontra {quarter} per organizzare le attività legate a {keyword}.",
    "Il percorso è stato costruito insieme a {partner}, che ha messo a disposizione spazi e competenze.",
    "Sono stati organizzati {n2} incontri pubblici a {city} per presentare il progetto e raccogliere idee sul tema di {topic2}.",
    "Con il sostegno di {partner} sono stati acquistati attrezzature e materiali, scelti insieme ai {people}.",
    "Una parte del lavoro si è svolta nelle scuole, con laboratori su {keyword} e {topic2} per le classi di {city}.",
    "Il gruppo di coordinamento, formato da {org} e {partner}, si riunisce una volta al mese per fare il punto.",
    "Durante il modulo di \"Reti solidali e competenti\" dedicato a {topic}, i volontari hanno ripensato l'organizzazione del servizio.",
};
inline constexpr std::string_view kResultTemplates[] = {
    "In {n2} anni il progetto ha coinvolto {n} {people} e {n2} enti del territorio.",
    "Le attività di {topic} hanno raggiunto il {pct}% delle famiglie del quartiere.",
    "Nel {year} sono state registrate {n} presenze, quasi il doppio dell'anno precedente.",
    "Il modello è stato adottato da altri {n2} comuni {region_in}.",
    "Un questionario rivolto ai {people} mostra che il {pct}% si dichiara soddisfatto dell'esperienza.",
};
inline constexpr std::string_view kResourceTemplates[] = {
    "Un locale in comodato d'uso gratuito messo a disposizione da {partner}.",
    "Un coordinatore part-time e un gruppo di almeno {n2} volontari.",
    "Un budget annuale di circa {n} euro, coperto in parte da donazioni.",
    "Competenze di comunicazione e di gestione dei social network.",
};
inline constexpr std::string_view kLessonTemplates[] = {
    "La difficoltà più grande è stata mantenere l'impegno dei {people} nei mesi estivi.",
    "Abbiamo imparato che senza {partner} il progetto non sarebbe durato più di un anno.",
    "La burocrazia ha rallentato l'avvio: servono mesi per ottenere i permessi necessari a {city}.",
    "Il rapporto con {partner} va curato con continuità, non solo nei momenti di bisogno.",
};
inline constexpr std::string_view kTransferTemplates[] = {
    "Il modello è replicabile in altri contesti urbani e nelle aree interne, purché esista una rete di {people} motivati.",
    "Chi vuole avviare un progetto simile di {topic} può partire da un gruppo piccolo e da un accordo con {partner}.",
    "La trasferibilità dipende soprattutto dalla disponibilità di spazi e dal sostegno del Comune.",
};
inline constexpr std::string_view kMoreTemplates[] = {
    "Materiali e schede del progetto sono disponibili su richiesta scrivendo a {org}.",
    "Chi vuole conoscere l'esperienza può visitare la sede {quarter} di {city}, su appuntamento.",
    "Il progetto è stato presentato nel {year} al convegno regionale sul tema di {topic}.",
};

}  // namespace bp::bench::words
