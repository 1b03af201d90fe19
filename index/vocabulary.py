"""Every word list of the project, each with where it comes from.

What a question *asks* (its kind, the aspects, whether it asks about today or refers to the
conversation) is learned from the question bank (`understanding`, `rasa_components`); no list
here decides it. The lists below cover the closed parts of language the rules need: function
words, the words of dates and their relations, list positions, status words, the prefixes of
place names, and the words that frame a question without naming its subject. All are folded
(`index.text.fold`: lower case, umlauts spelt out) unless a comment says otherwise.

Origin of each list: general German and English grammar and everyday usage (written for this
module, not taken from any evaluation question), or the printed documents where stated.
"""

from __future__ import annotations


def wordlist(block: str) -> frozenset[str]:
    """The whitespace-separated words of a text block (readable long word lists)."""
    return frozenset(block.split())


# --- function words (grammar) --------------------------------------------------------------
# Short German and English function words. They never identify a document or a name, and a
# one-word stop word must not fuzzy-match a short name ("sonst" ~ "Soest").
GERMAN_STOPWORDS = wordlist(
    """
    aber ab alle allem allen aller alles als also am an andere anderen auch auf aus bald bei
    beim bin bis bitte bist bzw da damit dann das dass dem den denn der des die dies diese
    diesem diesen dieser dieses doch dort du durch eigentlich ein eine einem einen einer eines
    er es etwa etwas euch euer fuer fuers gab genau gerade gern gerne gibt habe haben hat
    hatte hier ich ihr ihre ihrem ihren ihrer im in ins ist ja jede jeder jetzt kann kein
    keine koennen kannst mal man mehr mein meine meinem meinen meiner mich mir mit muss nach
    nicht noch nun nur ob oder ohne per schon sein seine seinem seinen sich sie sind so soll
    sollen sonst sowas ueber uebers ueberhaupt um und uns unser unter viel viele vielen vom
    von vor wann war waren warum was weil welche welchem welchen welcher welches wem wen wenn
    wer werden wie wieder will wir wird wo wurde wurden zu zum zur
    """
)
ENGLISH_STOPWORDS = wordlist(
    """
    a about also an and any are as at be been being but by can could did do does for from
    get go had has have how i if in into is it its just may me might more most much must my
    no not of on only or our out over please s shall should so some such tell than that the
    their them then there these they this those through to too us very was we were what when
    where which who whom whose why will with would you your
    """
)
STOPWORDS = GERMAN_STOPWORDS | ENGLISH_STOPWORDS

# --- language vote (grammar; not folded: umlauts count for German) -------------------------
# Frequent words that show the language of a chat message; words written alike in both
# languages ("in", "so", "was") do not vote (`index.language`).
GERMAN_VOTERS = wordlist(
    """
    aber alle als also am an auch auf aus bei beim bin bis bitte bist da dafür damit dann das
    dass dem den denn der des dich die dies diese diesem diesen dieser dieses doch dort du durch
    ein eine einem einen einer eines er es etwas gibt gib habe haben hallo hat ich ihr ihnen im
    in ist ja jetzt kann kannst kein keine können läuft laufen mal man mehr mein mich mir mit
    muss nach nein nicht noch nur oder ohne sich sie sind so soll über um und uns vom von vor
    war was weiter welche welcher welches welchen wem wen wer werden wie wieso wir wird wo woher
    worum wurde zeig zeige zu zum zur danke tschüss moin servus guten tag morgen abend erzähl
    erzähle projekt projekte ansprechpartner ansprechpartnerin laufzeit zweite erste dritte
    letzte nummer stammt quelle übertragbar gemacht davon dazu darüber wann lange
    hallöchen grüß gott wiedersehen bald später schönen gerne genau richtig stimmt klar passt
    nö nee falsch lieber dankeschön herzlichen vielen nächsten weitere zeig servus tschö
    """
)
ENGLISH_VOTERS = wordlist(
    """
    a about all an and any are as at be bot by can could do does for from give has have hello
    how i i'm in is it it's me more my no not of on one or please projects project run
    running show so tell thank thanks that the their them there these this those to was what
    when where which who whom why will with would yes you your bye goodbye second first third
    last next contact person responsible source transferable long does is are what's who's
    where's many much other others something good morning afternoon evening greetings sure
    yep yeah nope correct exactly sounds great later take care cheers thx ty option number
    right wrong howdy hiya
    """
)

# --- dates (grammar; months and seasons also as printed in the documents) ------------------
MONTH_NAMES = (
    "januar februar maerz april mai juni juli august september oktober november dezember",
    "january february march april may june july august september october november december",
)
MONTHS = {name: i for block in MONTH_NAMES for i, name in enumerate(block.split(), 1)}
# Verbs and nouns of beginning and ending (German and English inflections).
START_WORDS = wordlist(
    "beginn beginnt begann begonnen beginnen starten startet startete gestartet start starts "
    "started starting anfang angefangen faengt fing began begin begins beginning launch "
    "launched kick kicked"
)
END_WORDS = wordlist(
    "ende enden endet endete endeten auslaufen abschluss abgeschlossen beendet "
    "end ends ended ending finish finishes finished complete completed expire expires"
)
BEFORE_WORDS = wordlist("vor before prior earlier frueher")
AFTER_WORDS = wordlist("nach after ab seit since later spaeter")
BY_WORDS = wordlist("bis until till by")
# Finished, without a year: ended before the documents were written.
FINISHED_WORDS = wordlist(
    "abgeschlossen abgeschlossene abgeschlossenen beendet beendete beendeten fertig "
    "fertiggestellt finished completed complete ended done over"
)
# Where in its year a season or vaguer date lies (0 = January, 1 = December), for the
# timeline; the words as the documents print them ("Sommer 2019", "Anfang 2020").
SEASON_POSITION = {
    "anfang": 0.1, "fruehjahr": 0.25, "mitte": 0.5, "sommer": 0.55, "herbst": 0.8, "ende": 0.95,
}  # fmt: skip

# --- orderings (grammar) -------------------------------------------------------------------
FIRST_WORDS = wordlist(
    "zuerst erstes erste ersten allererste allererstes allerersten fruehesten fruehste "
    "frueheste earliest first"
)
LAST_WORDS = wordlist(
    "zuletzt letztes letzte letzten allerletzte allerletztes spaetesten spaeteste "
    "laengsten laengste latest last longest"
)

# --- list positions and references into the conversation (grammar) ------------------------
ORDINALS: dict[int, tuple[str, ...]] = {
    1: ("erste", "ersten", "erster", "erstes", "first", "1st", "eins", "one"),
    2: ("zweite", "zweiten", "zweiter", "zweites", "second", "2nd", "zwei", "two"),
    3: ("dritte", "dritten", "dritter", "drittes", "third", "3rd", "drei", "three"),
    4: ("vierte", "vierten", "vierter", "viertes", "fourth", "4th", "vier", "four"),
    5: ("fuenfte", "fuenften", "fuenfter", "fuenftes", "fifth", "5th", "fuenf", "five"),
    6: ("sechste", "sechsten", "sechster", "sechstes", "sixth", "6th", "sechs", "six"),
    -1: ("letzte", "letzten", "letzter", "letztes", "last"),
}
CARDINALS = wordlist("eins one zwei two drei three vier four fuenf five sechs six")
NUMBER_WORDS = wordlist("nummer number nr")
# "davon", "of those": a question narrowing the list just shown.
OF_THOSE = (
    "davon", "darunter", "dabei", "von denen", "von diesen", "of those", "of these",
    "of them", "among those", "among them", "from those", "from these",
)  # fmt: skip

# --- status (as printed: "(geplant)", "(in Planung)", "in der Antragsprüfung") -------------
STATUS_WORDS: dict[str, str] = {
    **dict.fromkeys(
        wordlist("geplant geplante geplanten geplantes geplanter planung planned planning"),
        "planned",
    ),
    **dict.fromkeys(wordlist("antragspruefung pruefung geprueft review reviewed"), "in_review"),
    **dict.fromkeys(
        wordlist(
            "laufende laufenden laufender laufendes bewilligt bewilligte bewilligten "
            "genehmigt genehmigte genehmigten ongoing approved"
        ),
        "running",
    ),
}

# --- the slides' layout (as printed in the documents) -------------------------------------
# Labels of picture credits under a slide's text ("Foto: Caroline Seidel | Stadt
# Gelsenkirchen"): printed, but not a fact of the project.
CREDIT_LABELS = ("foto:", "bild:", "grafik:", "abbildung:")

# Abbreviations that end with a full stop but no sentence (German and English usage).
ABBREVIATIONS = wordlist(
    "z.B. z. B. u.a. v.a. bzw. ca. usw. etc. Nr. Prof. Dr. Mio. Mrd. Abs. Ziff. ggf. inkl. "
    "vgl. e.V. St. Str. Tel. i.d.R. d.h. e.g. i.e. vs. No."
)

# --- greetings (usage) ---------------------------------------------------------------------
# How a message may open or close without asking anything; a hand-over mail quotes the
# question without them (it has its own greeting).
GREETINGS = (
    "hallo", "hi", "hey", "moin", "servus", "guten tag", "guten morgen", "guten abend",
    "grüß gott", "sehr geehrte damen und herren", "liebe stadt", "hello", "good morning",
    "good afternoon", "good evening", "dear sir or madam", "dear sir", "dear madam",
)  # fmt: skip
SIGN_OFFS = (
    "mit freundlichen grüßen", "viele grüße", "liebe grüße", "danke", "vielen dank",
    "besten dank", "kind regards", "best regards", "many thanks", "thanks", "thank you",
    "regards", "cheers",
)  # fmt: skip

# --- place names (administrative usage; the printed names are in knowledge/) ---------------
# Prefixes people leave out: "Stadt Soest" is also just "Soest".
PLACE_PREFIXES = ("stadt", "kreis", "landkreis", "gemeinde", "kreisstadt", "hansestadt")
# Particles of surnames ("Manfred vom Sondern").
NAME_PARTICLES = wordlist("von vom van de der zu zur ten ter")
# Words that show a printed "contact" is an office or organisation, not a person.
ORGANISATION_WORDS = wordlist(
    "initiative projektbuero buero team geschaeftsstelle servicestelle stabsstelle referat amt "
    "abteilung kompetenzzentrum hotline support"
)

# --- words that frame a question without naming its subject (usage) ------------------------
# They add only noise to a search ("Projekte" fuzzily matches every "…-Projekt" title) and are
# left out of the words a question's subject is judged by.
FRAMING = wordlist(
    """
    projekt projekte projekten projektes projekts vorhaben project projects thema themen
    themenbereich bereich topic topics gibt gib gab welche welches welcher there any which
    something etwas zeig zeige zeigen show nenne nenn name alle all liste list
    laufen laeuft lief liefen laufend laufende laufenden run runs ran running doing happening
    going working works still yet already noch gerade aktiv aktive active underway
    jahr jahre jahren year years modellregion modellregionen region regionen kommune kommunen
    stadt staedte kreis town towns city cities district model digital digitale digitalen
    digitales nrw nordrhein westfalen north rhine westphalia programm programms programme
    program programs bitte please aktuell aktuelle aktuellen derzeit momentan heute zurzeit
    inzwischen mittlerweile currently current today now nowadays wie viele vieler wieviele
    anzahl how many number
    """
)

# --- generic administration (usage) --------------------------------------------------------
# What a citizen wants done at any town hall (apply, register, pay, opening hours) or asks
# about an administration as such. How much it counts is learned (`index.decision`).
# Compared after stemming.
GENERIC_WORDS = wordlist(
    """
    beantragen beantrage antrag antraege anmelden anmeldung ummelden abmelden registrieren
    registrierung oeffnungszeiten geoeffnet oeffnet gebuehr gebuehren kosten kostet preis
    bezahlen termin termine formular mitarbeiter mitarbeitende beschaeftigte personal
    stadtverwaltung verwaltung rathaus buergeramt amt behoerde auto kfz fahrzeug
    apply application register registration opening hours open opens fee fees cost costs price
    appointment form employees employee staff city hall administration car cars vehicle
    """
)


# Words that only set a list's facets (status, time, order); with `FRAMING`, what a question
# made of a region name and these asks is the region's list ("Welche Projekte laufen 2021 in
# Soest?"): none of them names a subject.
FACET_WORDS = (
    FRAMING
    | frozenset(STATUS_WORDS)
    | START_WORDS
    | END_WORDS
    | FINISHED_WORDS
    | FIRST_WORDS
    | LAST_WORDS
    | frozenset(MONTHS)
)
