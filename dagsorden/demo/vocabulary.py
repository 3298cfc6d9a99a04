"""Danish text fragments for the demo archive, written for this project."""

from __future__ import annotations

DEPARTMENTS = (
    "Økonomi & Stab",
    "Børn, Sundhed & Velfærd",
    "By, Miljø & Kultur",
    "Beskæftigelse & Borgerservice",
    "Dagtilbud & Skole",
    "Ældre & Omsorg",
    "Digitalisering & IT",
    "HR & Organisation",
)

FIRST_NAMES = (
    "Anne", "Bo", "Camilla", "Dorte", "Erik", "Frida", "Gustav", "Hanne", "Ida", "Jonas",
    "Karen", "Lars", "Mette", "Niels", "Ole", "Pia", "Rasmus", "Sofie", "Thomas", "Ulla",
)  # fmt: skip
LAST_NAMES = (
    "Andersen", "Bech", "Christensen", "Dahl", "Eriksen", "Frost", "Holm", "Jensen",
    "Kjær", "Lund", "Mortensen", "Nielsen", "Olsen", "Poulsen", "Rasmussen", "Skov",
)  # fmt: skip

PROPOSERS = (
    "Kommunaldirektøren",
    "Kommunaldirektøren",
    "Kommunaldirektøren",
    "Chefen for Økonomi & Stab",
    "Direktøren for By, Miljø, Kultur & Beskæftigelse",
    "Direktøren for Børn, Sundhed & Velfærd",
    "Chefen for HR & Organisation",
)
PROPOSER_TYPO = "Kommunaldiirektøren"

# Topics: (title template, KLE subject, facet, occasion, presentation sentences).
# "{year}" and "{n}" are filled in; each topic becomes a recurring case.
TOPICS = (
    ("Budget {year}", "00.30.00", "S00", "Arbejdet med budget {year} skal drøftes.",
     ("Budgetprocessen for {year} er i gang, og afdelingerne har indsendt deres forslag.",
      "Der er behov for at finde besparelser på {n} mio. kr. for at overholde servicerammen.",
      "Forslagene fordeler sig på drift, anlæg og effektiviseringer.")),
    ("Økonomirapport nr. {n} {year}", "00.30.14", "S00",
     "Økonomi & Stab har udarbejdet økonomirapport nr. {n} på baggrund af forbruget.",
     ("Rapporten giver status på kommunens økonomiske situation og forventet regnskab.",
      "Forbrugsandelen ligger på {n}0 procent af det forventede for året.",
      "Der forventes et samlet merforbrug på {n},4 mio. kr. i forhold til korrigeret budget.")),
    ("Målsætninger {year}", "00.01.00", "P22",
     "Forummet skal udvælge og drøfte målsætninger for {year}.",
     ("Politikkerne indeholder en række målsætninger, som organisationen skal arbejde med.",
      "Hver målsætning får én hovedansvarlig afdelingschef.",
      "Målplanerne skal være igangsat senest den 1. marts {year}.")),
    ("Målplaner og prøvehandlinger", "00.01.00", "P22",
     "Status på arbejdet med målplaner og prøvehandlinger.",
     ("Afdelingerne har udarbejdet målplaner med tilhørende prøvehandlinger.",
      "Flere prøvehandlinger er tværfaglige og går på tværs af afdelingerne.",
      "Der er indsamlet data, som viser de første tegn på effekt.")),
    ("Årshjul for chefgruppen", "00.01.00", "A00",
     "Årshjulet giver overblik over kommende opgaver og spidsbelastninger.",
     ("Årshjulet opdeles i kategorier: målarbejde (gul), møder for ledere (blå) og budget (rød).",
      "Afdelingscheferne kan løbende melde temaer ind til årshjulet.",
      "Årshjulet opdateres månedligt af sekretariatet.")),
    ("Telefontider og tilgængelighed", "83.02.00", "A00",
     "Borgerne oplever forskellige telefontider på tværs af afdelingerne.",
     ("Telefonkanalen er fortsat en vigtig indgang til kommunen for mange borgere.",
      "Der er i dag stor forskel på, hvornår afdelingerne kan kontaktes.",
      "Et fælles sæt telefontider vil gøre det lettere for borgerne.")),
    ("Sygefravær i organisationen", "81.03.00", "G01",
     "HR fremlægger den halvårlige status på sygefraværet.",
     ("Sygefraværet er samlet set faldet med {n} procent siden sidste opgørelse.",
      "Enkelte arbejdspladser har fortsat et højt langtidsfravær.",
      "HR tilbyder sparring til ledere om fraværssamtaler.")),
    ("Rekruttering og fastholdelse", "81.02.00", "A00",
     "Der er udfordringer med at rekruttere faglærte medarbejdere.",
     ("Antallet af kvalificerede ansøgere til stillinger på omsorgsområdet er faldende.",
      "Der foreslås en fælles indsats for elever og nyuddannede.",
      "Erfaringer fra nabokommuner viser, at mentorordninger virker.")),
    ("Digitaliseringsstrategi", "85.02.00", "P20",
     "Den nuværende digitaliseringsstrategi udløber, og en ny skal udarbejdes.",
     ("Strategien skal understøtte borgernes selvbetjening og medarbejdernes arbejdsgange.",
      "Der skal tages stilling til brugen af kunstig intelligens i sagsbehandlingen.",
      "Informationssikkerhed er et gennemgående tema.")),
    ("Klimaplan og grøn omstilling", "13.00.00", "P22",
     "Kommunen skal leve op til klimaplanens mål for CO2-reduktion.",
     ("Udledningen fra kommunens egne bygninger er reduceret de seneste år.",
      "Transportområdet halter efter, og der foreslås flere elbiler i flåden.",
      "Der er afsat {n} mio. kr. til energirenovering.")),
    ("Dagtilbudspolitik", "28.00.00", "P22",
     "Der er udarbejdet et udkast til en ny dagtilbudspolitik.",
     ("Politikken beskriver et ønsket fremtidsscenarie og konkrete målsætninger.",
      "Udkastet er blevet til i samarbejde med forældre, ledere og medarbejdere.",
      "Politikken skal behandles i fagudvalget inden endelig vedtagelse.")),
    ("Skolestruktur og kapacitet", "17.01.00", "A00",
     "Elevtallet ændrer sig, og kapaciteten på skolerne skal vurderes.",
     ("Prognosen viser flere elever i den nordlige del af kommunen.",
      "Der er behov for at se på skoledistrikterne.",
      "En eventuel ændring kræver høring af skolebestyrelserne.")),
    ("Kanalstrategi for borgerkontakt", "85.00.00", "P20",
     "En ny kanalstrategi skal samle borgernes veje ind til kommunen.",
     ("Borgerne bruger i stigende grad digitale kanaler.",
      "Der er fortsat borgere, som har brug for personlig betjening.",
      "Strategien skal gælde for alle afdelinger.")),
    ("Ledelsesudvikling", "81.00.00", "A00",
     "Forløbet for ledelsesudvikling skal evalueres.",
     ("Lederne har deltaget i fire moduler om strategisk ledelse.",
      "Evalueringen viser stor tilfredshed med netværksdelen.",
      "Det anbefales at fortsætte med et kortere forløb.")),
    ("Beredskab ved strømafbrydelser", "14.00.00", "A00",
     "Kommunen skal være forberedt på mulige strømafbrydelser.",
     ("Der er udarbejdet en plan for nødstrøm på kritiske institutioner.",
      "Plejecentrene prioriteres først.",
      "Planen afprøves ved en øvelse i løbet af efteråret.")),
    ("Anlægsplan {year}", "00.30.00", "S00", "Anlægsplanen for {year} skal prioriteres.",
     ("Anlægsplanen rummer renovering af skoler, veje og idrætsanlæg.",
      "Den samlede ramme er {n}0 mio. kr.",
      "Flere projekter er forsinket på grund af leverancer.")),
)  # fmt: skip

CLOSED_TOPICS = (
    ("Personalesag", "81.00.00", "G01"),
    ("Ansættelse af afdelingschef", "81.02.00", "G01"),
    ("Fortrolig sag om borgerforhold", "27.00.00", "G01"),
    ("Tilsynssag på et plejecenter", "27.15.00", "G01"),
)

SUB_HEADINGS = ("Baggrund", "Økonomi", "Det videre forløb", "Vurdering", "Tidsplan")
BULLETS = (
    "Tydelige rammer for samarbejdet",
    "Inddragelse af borgerne tidligt i processen",
    "Opfølgning med data hvert halve år",
    "Ansvar placeret hos én afdelingschef",
    "Sammenhæng til de politiske målsætninger",
    "Fokus på medarbejdernes trivsel",
    "Koordinering på tværs af fagområderne",
)

POINTS_DECISION = (
    "at indstillingen godkendes.",
    "at forslaget sendes videre til Økonomiudvalget.",
    "at der udpeges en hovedansvarlig afdelingschef.",
    "at processen godkendes.",
)
POINTS_DISCUSSION = ("at punktet drøftes.", "At sagen drøftes.", "at oplægget drøftes.")
POINTS_INFORMATION = ("at orienteringen tages til efterretning.",)
POINTS_OTHER = ("Der udarbejdes en handleplan.", "Sagen genoptages på et senere møde.")

DECISIONS = {
    "approved": ("{forum} godkendte indstillingen.", "Godkendt.", "{forum} godkendte oplægget."),
    "endorsed": ("{forum} tiltrådte indstillingen.", "Tiltrådt."),
    "noted": ("{forum} tog orienteringen til efterretning.", "Taget til efterretning."),
    "discussed": ("{forum} drøftede sagen.", "{forum} drøftede oplægget og gav input."),
    "postponed": ("Punktet blev udsat til næste møde.", "Sagen udskydes."),
}
FOLLOW_UPS = (
    "Sagen kommer tilbage til forummet den {date}.",
    "Sekretariatet udarbejder et nyt oplæg på baggrund af drøftelsen.",
    "Deadline for bemærkninger er den {date}.",
    "Status fremlægges 1-2 gange om året.",
)

ATTACHMENTS = (
    "Notat om {topic}",
    "Bilag {i} - Oversigt {year}.pdf",
    "Præsentation {topic}.pptx",
    "Tidsplan {year}.docx",
    "Bilag {i} - Økonomiske nøgletal",
)
