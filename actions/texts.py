"""Every user-facing string of the action server, in German and English.

`t(key, language, **values)` formats one entry; German is the fallback language. The facts
themselves (titles, summaries, slide texts) come from `knowledge/` and are German only, so
English answers say so once (`note_german`).
"""

from __future__ import annotations

from index.language import normalise

CATALOGUE: dict[str, tuple[str, str]] = {
    # --- small talk -----------------------------------------------------------------------
    "greet": (
        "Hallo! Ich beantworte Fragen zu den **Digitalen Modellregionen NRW**: Projekte, "
        "Ansprechpartner, Laufzeiten und das Förderprogramm. Was möchten Sie wissen?",
        "Hello! I answer questions about the **digital model regions of North Rhine-Westphalia"
        "** (Digitale Modellregionen NRW): projects, contacts, timelines and the funding "
        "programme. What would you like to know?",
    ),
    "goodbye": (
        "Auf Wiedersehen! Bei Fragen zu den Modellregionen bin ich jederzeit da.",
        "Goodbye! I'm here whenever you have questions about the model regions.",
    ),
    "thank": ("Gern geschehen!", "You're welcome!"),
    "capabilities": (
        "Ich kenne die Projekte der fünf Digitalen Modellregionen (Aachen, Gelsenkirchen, "
        "OWL/Paderborn, Soest, Bergisches Städtedreieck) und der Landesebene. Fragen Sie mich "
        "zum Beispiel:\n"
        "- nach Projekten zu einem Thema („Gibt es Projekte zur Kita-Anmeldung?“)\n"
        "- nach den Projekten einer Region oder Kommune, auch für ein Jahr\n"
        "- nach Ansprechpartnern, Laufzeit und Meilensteinen eines Projekts\n"
        "- nach Hintergrund, Zielen und Förderung des Programms\n"
        "- woher eine Angabe stammt",
        "I know the projects of the five digital model regions (Aachen, Gelsenkirchen, "
        "OWL/Paderborn, Soest, Bergisches Städtedreieck) and of the state level. You can ask "
        "me, for example:\n"
        "- for projects on a topic (“Are there projects on online daycare registration?”)\n"
        "- for the projects of a region or town, also for a given year\n"
        "- for the contacts, timeline and milestones of a project\n"
        "- about background, goals and funding of the programme\n"
        "- where a piece of information comes from",
    ),
    "bot_challenge": (
        "Ich bin ein Chatbot – ein automatischer Assistent, kein Mensch. Meine Antworten "
        "stammen aus zwei Dokumenten des Landes NRW zu den Digitalen Modellregionen.",
        "I'm a chatbot – an automated assistant, not a human. My answers come from two "
        "documents of the state of North Rhine-Westphalia about the digital model regions.",
    ),
    "affirm": ("Gut! Was möchten Sie noch wissen?", "Great! What else would you like to know?"),
    "deny": (
        "In Ordnung. Fragen Sie gern nach einem anderen Projekt, einer Region oder dem Programm.",
        "All right. Feel free to ask about another project, a region or the programme.",
    ),
    "out_of_scope": (
        "Dazu kann ich leider nichts sagen. Ich beantworte nur Fragen zu den Digitalen "
        "Modellregionen NRW und ihren Projekten.",
        "Sorry, I can't help with that. I only answer questions about the digital model "
        "regions of North Rhine-Westphalia and their projects.",
    ),
    "not_understood": (
        "Das habe ich leider nicht verstanden. Fragen Sie zum Beispiel nach einem Projekt, "
        "einer Region oder einem Ansprechpartner.",
        "Sorry, I didn't understand that. Try asking about a project, a region or a contact "
        "person.",
    ),
    "maybe_meant": (
        "Ich bin nicht sicher, ob ich Sie richtig verstanden habe. Passt eines dieser Projekte?",
        "I'm not sure I understood you correctly. Is it one of these projects?",
    ),
    "too_long": (
        "Ihre Nachricht ist leider zu lang (mehr als {limit} Zeichen). Bitte stellen Sie Ihre "
        "Frage kürzer.",
        "Sorry, your message is too long (more than {limit} characters). Please ask a shorter "
        "question.",
    ),
    "markup": (
        "Bitte schreiben Sie Ihre Frage als einfachen Text – HTML oder Programmcode kann ich "
        "nicht verarbeiten.",
        "Please type your question as plain text – I can't process HTML or code.",
    ),
    "empty": (
        "Ich habe keine Frage erkannt. Was möchten Sie über die Modellregionen wissen?",
        "I couldn't find a question in that. What would you like to know about the model regions?",
    ),
    "error": (
        "Entschuldigung, dabei ist etwas schiefgegangen. Bitte versuchen Sie es noch einmal "
        "oder formulieren Sie die Frage anders.",
        "Sorry, something went wrong. Please try again or rephrase your question.",
    ),
    "note_german": (
        "",
        "_(The source documents are in German, so the project details are quoted in German.)_",
    ),
    # --- buttons --------------------------------------------------------------------------
    "button_contact": ("Ansprechpartner", "Contact"),
    "button_period": ("Laufzeit & Meilensteine", "Timeline & milestones"),
    "button_transfer": ("Übertragbarkeit", "Transferability"),
    "button_source": ("Quelle", "Source"),
    "button_more": ("Mehr anzeigen", "Show more"),
    "button_details": ("Details", "Details"),
    "button_capabilities": ("Was kannst du?", "What can you do?"),
    "button_programme": ("Über das Programm", "About the programme"),
    "button_topic_more": ("Mehr zu diesem Thema", "More on this topic"),
    "button_region_projects": ("Projekte in {region}", "Projects in {region}"),
    "example_topic_query": ("Gibt es Projekte zur Kita-Anmeldung?", "Projects on daycare?"),
    "example_region_query": ("Welche Projekte gibt es in Soest?", "Which projects run in Soest?"),
    # --- labels ---------------------------------------------------------------------------
    "label_period": ("Laufzeit", "Period"),
    "label_no_period": ("Laufzeit: nicht angegeben", "Period: not stated"),
    "label_contact": ("Kontakt", "Contact"),
    "label_no_contact": ("Kontakt: nicht angegeben", "Contact: not stated"),
    "label_phone": ("Tel.", "phone"),
    "label_status": ("Status", "Status"),
    "label_milestones": ("Meilensteine", "Milestones"),
    "label_source": ("Quelle", "Source"),
    "label_state_level": ("Landesebene", "state level"),
    "status_planned": ("geplant", "planned"),
    "status_in_review": ("in der Antragsprüfung", "application under review"),
    "status_running": ("bewilligt / laufend", "approved / running"),
    # --- project answers ------------------------------------------------------------------
    "list_intro": ("Ich habe {total} passende Projekte gefunden:", "I found {total} projects:"),
    "list_intro_one": ("Ich habe ein passendes Projekt gefunden:", "I found one project:"),
    "list_more": (
        "Das sind {shown} von {total}. Wählen Sie ein Projekt oder „Mehr anzeigen“.",
        "That's {shown} of {total}. Pick a project or “Show more”.",
    ),
    "list_pick": (
        "Zu welchem möchten Sie mehr wissen?",
        "Which one would you like to know more about?",
    ),
    "more_intro": (
        "Weitere Projekte ({first}–{last} von {total}):",
        "More projects ({first}–{last} of {total}):",
    ),
    "more_intro_one": (
        "Weiteres Projekt ({first} von {total}):",
        "More projects ({first} of {total}):",
    ),
    "no_more": (
        "Mehr Projekte habe ich zu dieser Frage nicht.",
        "There are no more projects for this question.",
    ),
    "nothing_to_show_more": (
        "Ich habe gerade keine Liste, die ich fortsetzen könnte. Wonach suchen Sie?",
        "There's no list I could continue right now. What are you looking for?",
    ),
    "which_project": (
        "Dazu passen mehrere Projekte. Welches meinen Sie?",
        "Several projects fit. Which one do you mean?",
    ),
    "ask_project": (
        "Zu welchem Projekt? Nennen Sie bitte den Namen oder ein Thema.",
        "Which project? Please tell me its name or a topic.",
    ),
    "no_answer": (
        "Dazu habe ich in den Unterlagen zu den Digitalen Modellregionen leider nichts gefunden.",
        "I couldn't find anything about that in the documents on the digital model regions.",
    ),
    "no_answer_region": (
        "Fragen dazu beantwortet sicher das Projektbüro der Modellregion {region}:",
        "The project office of the model region {region} can probably help:",
    ),
    "no_answer_programme": (
        "Allgemeine Fragen zum Programm beantwortet das Wirtschafts- und Digitalministerium "
        "(MWIDE) bzw. das Projektbüro der jeweiligen Modellregion:",
        "General questions about the programme are answered by the state ministry for the "
        "economy and digitalisation (MWIDE) or the project office of each model region:",
    ),
    "project_offices": (
        "Projektbüros der Modellregionen:",
        "Project offices of the model regions:",
    ),
    # --- contacts / period / transferability / source -------------------------------------
    "contact_intro": (
        "Ansprechpartner für **{title}** (laut Unterlagen vom {date}):",
        "Contact for **{title}** (as of the documents of {date}):",
    ),
    "contact_none": (
        "Für **{title}** ist in den Unterlagen kein Ansprechpartner genannt.",
        "The documents name no contact for **{title}**.",
    ),
    "contact_office": (
        "Projektbüro der Modellregion {region}:",
        "Project office of the model region {region}:",
    ),
    "region_contact_intro": (
        "Ansprechpartner der Modellregion **{region}** (laut Unterlagen vom {date}):",
        "Contacts of the model region **{region}** (as of the documents of {date}):",
    ),
    "period_intro": ("Laufzeit von **{title}**: {period}", "Period of **{title}**: {period}"),
    "period_none": (
        "Für **{title}** ist in den Unterlagen keine Laufzeit angegeben.",
        "The documents state no period for **{title}**.",
    ),
    "milestones_none": ("Meilensteine sind nicht angegeben.", "No milestones are stated."),
    "transfer_intro": (
        "Zur Übertragbarkeit von **{title}** steht in den Unterlagen:",
        "On the transferability of **{title}** the documents say:",
    ),
    "transfer_none": (
        "Zur Übertragbarkeit von **{title}** sagen die Unterlagen nichts Ausdrückliches.",
        "The documents say nothing explicit about the transferability of **{title}**.",
    ),
    "source_intro": ("Das stammt aus:", "This comes from:"),
    "source_nothing": (
        "Ich habe Ihnen noch nichts gezeigt, dessen Quelle ich nennen könnte. Alle Angaben "
        "stammen aus diesen Dokumenten:",
        "I haven't shown you anything yet whose source I could name. All my information "
        "comes from these documents:",
    ),
    # --- selection ------------------------------------------------------------------------
    "select_no_list": (
        "Ich habe gerade keine Liste angezeigt, aus der Sie wählen könnten. Wonach suchen Sie?",
        "I haven't shown a list to choose from. What are you looking for?",
    ),
    "select_out_of_range": (
        "In der letzten Liste gibt es keinen Eintrag {position}. Welchen meinen Sie?",
        "The last list has no entry {position}. Which one do you mean?",
    ),
    "select_which": ("Welchen Eintrag meinen Sie?", "Which entry do you mean?"),
    # --- regions --------------------------------------------------------------------------
    "region_intro": (
        "Projekte der Modellregion **{region}**{filters} laut Unterlagen vom {date} ({total}):",
        "Projects of the model region **{region}**{filters} as of the documents of {date} "
        "({total}):",
    ),
    "all_regions_intro": (
        "Projekte{filters} laut Unterlagen vom {date} ({total}):",
        "Projects{filters} as of the documents of {date} ({total}):",
    ),
    "filter_year": (" im Jahr {year}", " in {year}"),
    "filter_status": (" mit Status „{status}“", " with status “{status}”"),
    "region_empty": (
        "Für die Modellregion **{region}**{filters} habe ich keine Projekte gefunden.",
        "I found no projects of the model region **{region}**{filters}.",
    ),
    "all_regions_empty": (
        "Ich habe keine Projekte{filters} gefunden.",
        "I found no projects{filters}.",
    ),
    "municipality_none": (
        "Für {place} selbst sind keine eigenen Projekte aufgeführt; {place} ist Partner der "
        "Modellregion **{region}**.",
        "No projects of {place} itself are listed; {place} is a partner of the model region "
        "**{region}**.",
    ),
    "unknown_place": (
        "„{place}“ gehört nicht zu den Digitalen Modellregionen NRW. Die fünf Modellregionen sind:",
        "“{place}” is not one of the digital model regions of NRW. The five model regions are:",
    ),
    "regions_overview": (
        "Die fünf Digitalen Modellregionen NRW und ihre Projekte in den Unterlagen:",
        "The five digital model regions of NRW and their projects in the documents:",
    ),
    "region_line": (
        "**{name}** – Leitkommune {lead}; {count} Projekte",
        "**{name}** – lead municipality {lead}; {count} projects",
    ),
    "state_line": ("**Landesebene** – {count} Projekte", "**State level** – {count} projects"),
    "region_subject_intro": ("Passend dazu in {region}:", "Matching projects in {region}:"),
    "region_subject_none": (
        "Zu „{subject}“ habe ich in {region} nichts Passendes gefunden.",
        "I found nothing on “{subject}” in {region}.",
    ),
    "filter_none_match": (
        "Keines der gezeigten Projekte liegt in {place}.",
        "None of the projects shown is in {place}.",
    ),
    "filter_intro": ("Davon in {place}:", "Of those, in {place}:"),
    # --- not sure, unknown names ---------------------------------------------------------
    "unsure": (
        "Ich bin nicht sicher, ob die Unterlagen das beantworten. Meinen Sie eines dieser "
        "Projekte oder Themen?",
        "I'm not sure the documents answer that. Do you mean one of these projects or topics?",
    ),
    "not_in_documents": (
        "Dazu ({what}) sagen die Unterlagen zu **{title}** nichts. Was sie darüber sagen:",
        "The documents say nothing about that ({what}) for **{title}**. What they do say:",
    ),
    "unanswered": (
        "Das beantworten die Unterlagen zu {title} nicht. Was sie dazu sagen:",
        "The documents do not answer that for {title}. What they do say:",
    ),
    "unanswered_list": (
        "Genau das beantworten die Unterlagen nicht. Am nächsten kommen diese Projekte:",
        "The documents do not answer exactly that. These projects come closest:",
    ),
    "phone_none": (
        "Eine Telefonnummer ist für {who} in den Unterlagen nicht angegeben.",
        "The documents give no phone number for {who}.",
    ),
    "after_documents": (
        "Die Unterlagen sind vom {date} und planen bis höchstens {last}; über {year} sagen sie "
        "nichts.",
        "The documents date from {date} and plan until {last} at most; they say nothing about "
        "{year}.",
    ),
    "project_unknown": (
        "Ein Projekt „{name}“ kommt in den Unterlagen zu den Digitalen Modellregionen nicht vor.",
        "A project “{name}” does not appear in the documents on the digital model regions.",
    ),
    # --- date of the facts ----------------------------------------------------------------
    "as_of": ("Stand der Unterlagen: {date}", "as of the documents of {date}"),
    "status_as_of": ("Status laut Unterlagen vom {date}", "Status as of the documents of {date}"),
    "planned_until": (
        "Laut den Unterlagen vom {date} geplant bis {end}; ob es so gekommen ist, steht nicht "
        "darin.",
        "According to the documents of {date} planned until {end}; whether it went that way "
        "is not in them.",
    ),
    "current_note": (
        "Die Unterlagen sind vom {date}; den heutigen Stand ({today}) enthalten sie nicht.",
        "The documents date from {date}; they do not contain today's state ({today}).",
    ),
    "current_intro": (
        "Laut den Unterlagen vom {date} liefen oder waren geplant:",
        "According to the documents of {date}, these were running or planned:",
    ),
    # --- structured answers ---------------------------------------------------------------
    "makeup_intro": ("Die Modellregion **{region}**:", "The model region **{region}**:"),
    "makeup_lead": ("Leitkommune: {lead}", "Lead municipality: {lead}"),
    "makeup_partners": ("Partner: {partners}", "Partners: {partners}"),
    "makeup_no_partners": ("Weitere Partner sind nicht genannt.", "No other partners are named."),
    "makeup_government": ("Bezirksregierung: {government}", "District government: {government}"),
    "makeup_all": (
        "Die fünf Digitalen Modellregionen NRW und ihre Leitkommunen:",
        "The five digital model regions of NRW and their lead municipalities:",
    ),
    "count_projects": (
        "In den Unterlagen stehen **{count}** Projekte{scope}:",
        "The documents list **{count}** projects{scope}:",
    ),
    "count_one": (
        "In den Unterlagen steht **ein** Projekt{scope}:",
        "The documents list **one** project{scope}:",
    ),
    "count_none": (
        "In den Unterlagen steht kein Projekt{scope}.",
        "The documents list no project{scope}.",
    ),
    "count_regions": (
        "Es gibt **{count}** Digitale Modellregionen in NRW mit zusammen {projects} Projekten "
        "(einschließlich der Landesebene):",
        "There are **{count}** digital model regions in NRW, with {projects} projects in all "
        "(state level included):",
    ),
    "scope_region": (" der Modellregion {region}", " of the model region {region}"),
    "order_first": ("Am frühesten {event}:", "Earliest to {event}:"),
    "order_last": ("Am spätesten {event}:", "Latest to {event}:"),
    "event_start": ("begonnen", "start"),
    "event_end": ("endend", "end"),
    "order_rest": ("Die Reihenfolge:", "In order:"),
    "period_filter_intro": (
        "Projekte, die {relation} (laut Unterlagen):",
        "Projects that {relation} (according to the documents):",
    ),
    "period_filter_none": (
        "Kein Projekt {relation} laut den Unterlagen.",
        "According to the documents no project {relation}.",
    ),
    "undated": (
        "Ohne Datumsangabe in den Unterlagen: {titles}",
        "Without dates in the documents: {titles}",
    ),
    "relation_start_in": ("{year} beginnen", "start in {year}"),
    "relation_start_before": ("vor {year} beginnen", "start before {year}"),
    "relation_start_after": ("nach {year} beginnen", "start after {year}"),
    "relation_start_by": ("bis {year} beginnen", "start by {year}"),
    "relation_end_in": ("{year} enden", "end in {year}"),
    "relation_end_before": ("vor {year} enden", "end before {year}"),
    "relation_end_after": ("nach {year} enden", "end after {year}"),
    "relation_end_by": ("bis {year} enden", "end by {year}"),
    "relation_active_in": ("{year} laufen", "run in {year}"),
    "relation_active_before": ("vor {year} laufen", "run before {year}"),
    "relation_active_after": ("nach {year} noch laufen", "still run after {year}"),
    "relation_active_by": ("bis {year} laufen", "run until {year}"),
    "finished_intro": (
        "Laut den Unterlagen vom {date} bereits abgeschlossen:",
        "Already finished according to the documents of {date}:",
    ),
    "finished_none": (
        "Laut den Unterlagen vom {date} war noch keines der Projekte abgeschlossen; das "
        "früheste geplante Ende ist {end}.",
        "According to the documents of {date} none of the projects had finished yet; the "
        "earliest planned end is {end}.",
    ),
    # --- people ---------------------------------------------------------------------------
    "person_unknown": (
        "Diese Person kommt in den Unterlagen zu den Modellregionen nicht vor.",
        "That person doesn't appear in the documents on the model regions.",
    ),
    "person_which": ("Meinen Sie eine dieser Personen?", "Do you mean one of these people?"),
    "person_responsible": ("Ansprechpartner/in für:", "Contact for:"),
    "person_office": (
        "Projektbüro / Kontakt der Modellregion {name}",
        "project office / contact of the model region {name}",
    ),
    # --- programme ------------------------------------------------------------------------
    "programme_intro": ("Zum Programm:", "About the programme:"),
    "programme_more": ("Weitere Themen: {titles}", "Related topics: {titles}"),
    "programme_projects": ("Passende Projekte:", "Related projects:"),
    "programme_none": (
        "Dazu habe ich in den Programmunterlagen nichts Genaues gefunden.",
        "I found nothing specific about that in the programme documents.",
    ),
    "programme_menu": (
        "Zu diesen Themen des Programms kann ich etwas sagen:",
        "I can tell you about these parts of the programme:",
    ),
    "timeline_label": ("Zeitleiste", "Timeline"),
    # --- hand-over: a prefilled e-mail the citizen sends from their own mail program --------
    "handover_button": ("Nachricht an {name} schreiben", "Write to {name}"),
    "handover_subject_project": (
        "Frage zum Projekt „{about}“",
        "Question about the project “{about}”",
    ),
    "handover_subject_region": (
        "Frage an das Projektbüro der Modellregion {about}",
        "Question for the project office of the model region {about}",
    ),
    "handover_subject_general": (
        "Frage zu den Digitalen Modellregionen NRW",
        "Question about the digital model regions of NRW",
    ),
    # the mail's body, paragraph by paragraph (formatting.handover)
    "handover_greeting": ("Guten Tag,", "Hello,"),
    "handover_about_project": (
        "ich habe eine Frage zum Projekt „{about}“:",
        "I have a question about the project “{about}”:",
    ),
    "handover_about_region": (
        "ich habe eine Frage an das Projektbüro der Modellregion {about}:",
        "I have a question for the project office of the model region {about}:",
    ),
    "handover_about_general": (
        "ich habe eine Frage zu den Digitalen Modellregionen NRW:",
        "I have a question about the digital model regions of NRW:",
    ),
    "handover_no_question": ("(bitte hier Ihre Frage)", "(your question here)"),
    "handover_closing": ("Mit freundlichen Grüßen", "Kind regards"),
    "handover_origin": (
        "Die Adresse stammt aus den Unterlagen zu den Digitalen Modellregionen NRW vom {date} "
        "(über den Chat-Assistenten gefunden).",
        "I found this address in the documents on the digital model regions of NRW of {date} "
        "(via the chat assistant).",
    ),
    # --- what the documents do not print, and today -------------------------------------------
    "beyond_phone": ("Telefonnummer", "phone number"),
    "beyond_first_name": ("Vorname", "first name"),
    "beyond_opinion": ("Bewertung", "opinion"),
    "beyond_cost": ("Kosten", "costs"),
    "beyond_result": ("Ergebnisse nach 2019", "results after 2019"),
    "today_planned": (
        "Laut den Unterlagen vom {date} war **{title}** {status} und bis {end} geplant; ob es "
        "heute so nutzbar ist, steht nicht darin.",
        "According to the documents of {date}, **{title}** was {status} and planned until "
        "{end}; whether it can be used today is not in them.",
    ),
    "today_status": (
        "Laut den Unterlagen vom {date} war **{title}** {status}; den heutigen Stand enthalten "
        "sie nicht.",
        "According to the documents of {date}, **{title}** was {status}; they do not contain "
        "today's state.",
    ),
    "status_described": ("beschrieben", "described"),
    "status_none": (
        "Für **{title}** nennen die Unterlagen keinen Status.",
        "The documents state no status for **{title}**.",
    ),
    "where_intro": (
        "**{title}** gehört zur {where}; verantwortlich: {municipality}.",
        "**{title}** belongs to {where}; responsible: {municipality}.",
    ),
    "period_planned": (
        "Laufzeit von **{title}** laut den Unterlagen vom {date}: {period} – ob es so gekommen "
        "ist, steht nicht darin.",
        "Period of **{title}** according to the documents of {date}: {period} – whether it "
        "went that way is not in them.",
    ),
    "status_filter_intro": (
        "Laut den Unterlagen vom {date} sind {total} Projekte {status}:",
        "According to the documents of {date}, {total} projects are {status}:",
    ),
    "status_filter_none": (
        "Laut den Unterlagen vom {date} ist kein Projekt {status}.",
        "According to the documents of {date}, no project is {status}.",
    ),
    "count_of_region": ("{count} Projekte", "{count} projects"),
    # --- comparing regions ---------------------------------------------------------------------
    "compare_intro": ("Die Modellregionen im Vergleich:", "The model regions side by side:"),
    "compare_projects": ("{count} Projekte: {titles}", "{count} projects: {titles}"),
    "compare_common": (
        "Gemeinsame Themen ihrer Projekte: {topics}",
        "Subjects their projects share: {topics}",
    ),
    "compare_nothing_common": (
        "Ihre Projekte haben laut den Unterlagen keine Themen gemeinsam.",
        "According to the documents, their projects share no subject.",
    ),
    "compare_same_region": (
        "Beide gehören zur {region}:",
        "Both belong to the {region}:",
    ),
    # --- services the documents do not describe -------------------------------------------------
    "service_none": (
        "Diesen Dienst beschreiben die Unterlagen zu den Digitalen Modellregionen nicht – sie "
        "handeln von Digitalisierungsprojekten, nicht von den Leistungen der Verwaltungen.",
        "The documents on the digital model regions do not describe this service – they are "
        "about digitalisation projects, not about the services of the administrations.",
    ),
    "service_office_of": (
        "Zuständig ist die Verwaltung vor Ort ({place}), in der Regel das Bürgeramt bzw. "
        "Bürgerbüro oder das zuständige Fachamt.",
        "The local administration ({place}) handles it, usually the citizens' office "
        "(Bürgeramt / Bürgerbüro) or the department in charge.",
    ),
    "service_office": (
        "Zuständig ist die Verwaltung Ihrer Stadt oder Ihres Kreises, in der Regel das "
        "Bürgeramt bzw. Bürgerbüro oder das zuständige Fachamt.",
        "Your town's or district's administration handles it, usually the citizens' office "
        "(Bürgeramt / Bürgerbüro) or the department in charge.",
    ),
    "service_related": (
        "Verwandt, aber keine Antwort auf Ihre Frage – ein Projekt aus den Unterlagen:",
        "Related, but not an answer to your question – a project in the documents:",
    ),
    # --- the assistant about itself ---------------------------------------------------------------
    "about_assistant": (
        "Ich bin ein automatischer Assistent. Ich antworte nur aus zwei Dokumenten des Landes "
        "NRW: dem Bericht des Wirtschaftsministeriums an den Landtag (November 2017) und den "
        "Folien der Informationsveranstaltung vom 5. Juli 2019 – meine Angaben sind also auf "
        "dem Stand vom {date}.\n"
        "Gespeichert wird Ihr Gespräch (Ihre Nachrichten und meine Antworten) unter einer "
        "zufälligen Kennung, {days} Tage nach der letzten Nachricht wird es gelöscht. Ihre "
        "IP-Adresse und Ihr Name werden nicht gespeichert, außer Sie schreiben ihn selbst. "
        "Betrieben wird der Assistent von der Stelle, auf deren Seite Sie ihn nutzen; deren "
        "Datenschutzerklärung nennt Ansprechpartner.",
        "I'm an automated assistant. I answer only from two documents of the state of NRW: "
        "the ministry's report to the state parliament (November 2017) and the slides of the "
        "information event of 5 July 2019 – so my facts are as of {date}.\n"
        "Your conversation (your messages and my replies) is stored under a random id and "
        "deleted {days} days after its last message. Your IP address and your name are not "
        "stored unless you type it yourself. The assistant is run by the site you are using "
        "it on; its privacy statement names whom to contact.",
    ),
}


def t(key: str, language: str | None, **values: object) -> str:
    """The text `key` in `language` (German unless English), with `values` filled in."""
    german, english = CATALOGUE[key]
    template = english if normalise(language) == "en" else german
    return template.format(**values) if values else template
