"""Places that people may ask about but that are not model regions.

A question about "Sperrmüll in Köln" must not be answered with a project of Soest just because
both are about online services. `NameIndex` subtracts every place the knowledge names itself
(regions, lead municipalities, partners), so what remains marks a question as being about
somewhere else.

The list is general geography, not derived from the evaluation questions: the kreisfreie
Städte and Kreise of North Rhine-Westphalia, its larger kreisangehörige towns, and the largest
German cities (with their English names). Place names that are also common German words
("Lage", "Kamen", "Halle") are left out, and places only match exactly (see `NameIndex`).

Nothing that lies in a model region is listed. The documents print each region's partners
(slide "Abstimmungsbedarf"): Städteregion Aachen; Stadt Bottrop and Kreis Recklinghausen;
Städte Bielefeld and Delbrück and Kreis Paderborn, in the "Digitale Modellregion OWL" or
"Ostwestfalen-Lippe" (2017 report); Städte Iserlohn and Lippstadt and Kreis Soest; Städte
Solingen and Remscheid. So these lead and partner cities, these districts, the OWL districts
(Gütersloh, Herford, Höxter, Lippe, Minden-Lübbecke, Paderborn) and every town of those
districts are left out, e.g. Stolberg (Städteregion Aachen), Werl, Bad Sassendorf (Kreis
Soest), Marl, Dorsten (Kreis Recklinghausen), Minden, Detmold, Lemgo (OWL). Which towns a
district has is not printed in the documents; it is general geography (source: the districts'
municipality lists, as in `tests/unit/test_places.py`). Iserlohn is a partner, its
Märkischer Kreis is not, so the Kreis and its other towns (Lüdenscheid, Menden, Hemer) stay.
"""

from __future__ import annotations

NRW_CITIES = """
Bochum; Bonn; Dortmund; Duisburg; Düsseldorf; Essen; Hagen; Hamm; Herne; Köln; Krefeld;
Leverkusen; Mönchengladbach; Mülheim an der Ruhr; Münster; Oberhausen
"""
NRW_DISTRICTS = """
Borken; Coesfeld; Düren; Ennepe-Ruhr-Kreis; Euskirchen; Heinsberg; Hochsauerlandkreis; Kleve;
Märkischer Kreis; Mettmann; Oberbergischer Kreis; Olpe; Rhein-Erft-Kreis;
Rheinisch-Bergischer Kreis; Rhein-Kreis Neuss; Rhein-Sieg-Kreis; Siegen-Wittgenstein;
Steinfurt; Unna; Viersen; Warendorf; Wesel
"""
NRW_TOWNS = """
Neuss; Bergisch Gladbach; Siegen; Moers; Witten; Lünen; Velbert; Ratingen; Arnsberg;
Dinslaken; Bocholt; Lüdenscheid; Grevenbroich; Rheine; Troisdorf; Viersen; Dormagen; Bergheim;
Wesel; Kerpen; Unna; Langenfeld; Sankt Augustin; Hürth; Hilden; Menden; Meerbusch; Pulheim;
Ahlen; Frechen; Kleve; Emsdetten; Euskirchen; Erftstadt; Goch; Gummersbach; Hattingen; Hemer;
Meschede; Olpe; Schwerte; Warendorf; Wesseling; Willich; Borken; Coesfeld
"""
GERMAN_CITIES = """
Berlin; Hamburg; München; Munich; Cologne; Frankfurt; Frankfurt am Main; Stuttgart; Leipzig;
Dresden; Hannover; Hanover; Nürnberg; Nuremberg; Bremen; Augsburg; Wiesbaden; Karlsruhe;
Mannheim; Kiel; Rostock; Magdeburg; Freiburg; Mainz; Lübeck; Erfurt; Kassel;
Saarbrücken; Potsdam; Heidelberg; Regensburg; Würzburg; Ingolstadt; Ulm; Braunschweig;
Osnabrück; Oldenburg; Göttingen; Wolfsburg; Darmstadt; Trier; Koblenz; Jena; Chemnitz;
Schwerin; Bayern; Bavaria; Hessen; Sachsen; Niedersachsen; Brandenburg
"""
# Landscapes of NRW that lie wholly outside the model regions (the Ruhrgebiet, Rheinland,
# Bergisches Land, Sauerland and Eifel overlap them and are left out).
NRW_LANDSCAPES = """
Münsterland; Niederrhein; Siegerland; Wittgenstein
"""


def gazetteer() -> tuple[str, ...]:
    """Every place name of the lists above, as written, without duplicates."""
    names: dict[str, None] = {}
    for block in (NRW_CITIES, NRW_DISTRICTS, NRW_TOWNS, GERMAN_CITIES, NRW_LANDSCAPES):
        for name in block.replace("\n", " ").split(";"):
            if name.strip():
                names[name.strip()] = None
    return tuple(names)
