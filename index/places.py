"""Places that people may ask about but that are not model regions.

A question about "Sperrmüll in Köln" must not be answered with a project of Soest just because
both are about online services. `NameIndex` subtracts every place the knowledge names itself
(regions, lead municipalities, partners), so what remains marks a question as being about
somewhere else.

The list is general geography, not derived from the evaluation questions: every kreisfreie
Stadt and Kreis of North Rhine-Westphalia, its larger kreisangehörige towns, and the largest
German cities (with their English names). Place names that are also common German words
("Lage", "Kamen", "Halle") are left out, and places only match exactly (see `NameIndex`).
"""

from __future__ import annotations

NRW_CITIES = """
Aachen; Bielefeld; Bochum; Bonn; Bottrop; Dortmund; Duisburg; Düsseldorf; Essen;
Gelsenkirchen; Hagen; Hamm; Herne; Köln; Krefeld; Leverkusen; Mönchengladbach;
Mülheim an der Ruhr; Münster; Oberhausen; Remscheid; Solingen; Wuppertal
"""
NRW_DISTRICTS = """
Borken; Coesfeld; Düren; Ennepe-Ruhr-Kreis; Euskirchen; Gütersloh; Heinsberg; Herford;
Hochsauerlandkreis; Höxter; Kleve; Lippe; Märkischer Kreis; Mettmann; Minden-Lübbecke;
Oberbergischer Kreis; Olpe; Paderborn; Recklinghausen; Rhein-Erft-Kreis;
Rheinisch-Bergischer Kreis; Rhein-Kreis Neuss; Rhein-Sieg-Kreis; Siegen-Wittgenstein; Soest;
Steinfurt; Unna; Viersen; Warendorf; Wesel; Städteregion Aachen
"""
NRW_TOWNS = """
Neuss; Paderborn; Recklinghausen; Bergisch Gladbach; Siegen; Moers; Gütersloh; Iserlohn;
Witten; Marl; Lünen; Velbert; Ratingen; Minden; Dorsten; Castrop-Rauxel; Arnsberg;
Gladbeck; Detmold; Dinslaken; Bocholt; Lüdenscheid; Grevenbroich; Rheine; Troisdorf;
Viersen; Dormagen; Herten; Bergheim; Wesel; Kerpen; Unna; Langenfeld; Sankt Augustin;
Hürth; Stolberg; Herford; Lippstadt; Hilden; Menden; Meerbusch; Pulheim; Ahlen; Bad Salzuflen;
Frechen; Kleve; Bünde; Emsdetten; Euskirchen; Erftstadt; Goch; Gummersbach;
Hattingen; Hemer; Lemgo; Meschede; Olpe; Schwerte; Soest; Warendorf;
Werl; Wesseling; Willich; Bad Oeynhausen; Borken; Coesfeld; Delbrück; Bad Sassendorf
"""
GERMAN_CITIES = """
Berlin; Hamburg; München; Munich; Cologne; Frankfurt; Frankfurt am Main; Stuttgart; Leipzig;
Dresden; Hannover; Hanover; Nürnberg; Nuremberg; Bremen; Augsburg; Wiesbaden; Karlsruhe;
Mannheim; Kiel; Rostock; Magdeburg; Freiburg; Mainz; Lübeck; Erfurt; Kassel;
Saarbrücken; Potsdam; Heidelberg; Regensburg; Würzburg; Ingolstadt; Ulm; Braunschweig;
Osnabrück; Oldenburg; Göttingen; Wolfsburg; Darmstadt; Trier; Koblenz; Jena; Chemnitz;
Schwerin; Bayern; Bavaria; Hessen; Sachsen; Niedersachsen; Brandenburg
"""


def gazetteer() -> tuple[str, ...]:
    """Every place name of the lists above, as written, without duplicates."""
    names: dict[str, None] = {}
    for block in (NRW_CITIES, NRW_DISTRICTS, NRW_TOWNS, GERMAN_CITIES):
        for name in block.replace("\n", " ").split(";"):
            if name.strip():
                names[name.strip()] = None
    return tuple(names)
