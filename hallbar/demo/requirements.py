"""The demo requirement library. Deterministic: running it again changes nothing.

Everything here is demo content written for this platform, in Swedish as the cooperation writes
it: the Code of Conduct (version 1 superseded by version 2), the contract clause "Tillbörlig
aktsamhet för hållbara leveranskedjor" (2021 superseded by 2024) and sixteen criteria for the
prioritised categories. The texts paraphrase the regions' public documents in our own words; the
clause parameters (reporting within 30 and then 14 days, vite of 5 000 and then 10 000 kr per
started week for at most 8 and then 10 weeks) and all dates are DEMO VALUES, not the regions'.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from hallbar.categories.models import Category
from hallbar.demo.requirements_en import english
from hallbar.requirements.models import (
    CodeOfConduct,
    ContractClause,
    Criterion,
    CriterionLevel,
    CriterionType,
    LibraryVersion,
)
from hallbar.requirements.models import SustainabilityArea as Area
from hallbar.requirements.services import (
    create_clause_draft,
    create_code_draft,
    create_criterion,
    publish_version,
    start_new_version,
    update_clause_draft,
    update_code_draft,
    update_criterion_draft,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _day(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 9, 0, tzinfo=STOCKHOLM)


# --- Code of Conduct --------------------------------------------------------------------------

CODE_TITLE = "Uppförandekod för leverantörer"
CODE_INTRODUCTION = (
    "Regionerna köper varor och tjänster för stora belopp varje år. Vi förväntar oss att det vi "
    "köper har tillverkats under förhållanden som respekterar de mänskliga rättigheterna, "
    "arbetstagarnas rättigheter och miljön, och att affärerna görs utan korruption.\n"
    "Koden gäller leverantören och hela dess leveranskedja, ända ner till råvaran. Leverantören "
    "ansvarar för att kraven förs vidare till underleverantörerna och att de följs där.\n"
    "Ställer tillverkningslandets lag och koden olika krav gäller det strängaste kravet."
)

COMMITMENTS_V1 = [
    (
        Area.HUMAN_RIGHTS,
        "Leverantören respekterar de mänskliga rättigheterna enligt FN:s allmänna förklaring och "
        "undviker att orsaka eller bidra till att de kränks.",
    ),
    (
        Area.HUMAN_RIGHTS,
        "Barn skyddas mot ekonomiskt utnyttjande och mot arbete som kan skada dem eller hindra "
        "deras skolgång, enligt artikel 32 i FN:s konvention om barnets rättigheter.",
    ),
    (
        Area.WORKERS_RIGHTS,
        "Tvångsarbete, skuldslaveri och ofrivilligt fängelsearbete förekommer inte; arbetstagare "
        "behåller sina identitetshandlingar och kan säga upp sig med skälig uppsägningstid.",
    ),
    (
        Area.WORKERS_RIGHTS,
        "Arbetstagare får bilda och gå med i fackföreningar och förhandla kollektivt utan att "
        "straffas för det.",
    ),
    (
        Area.WORKERS_RIGHTS,
        "Ingen diskrimineras på grund av kön, etnicitet, religion, ålder, funktionsnedsättning, "
        "sexuell läggning, politisk åsikt eller facklig tillhörighet; kvinnor och män får lika "
        "lön för arbete av lika värde.",
    ),
    (
        Area.WORKERS_RIGHTS,
        "Minimiåldern för arbete följer ILO:s konvention nr 138, och ingen under 18 år utför "
        "farligt arbete.",
    ),
    (
        Area.WORKERS_RIGHTS,
        "Arbetsmiljön följer tillverkningslandets arbetsmiljölagstiftning.",
    ),
    (
        Area.WORKERS_RIGHTS,
        "Löner, arbetstider och ersättning för övertid följer minst tillverkningslandets lag.",
    ),
    (
        Area.ENVIRONMENT,
        "Leverantören följer tillverkningslandets miljölagstiftning och har de tillstånd "
        "verksamheten kräver.",
    ),
    (
        Area.ENVIRONMENT,
        "Leverantören arbetar systematiskt med att minska sin miljöpåverkan, särskilt utsläpp "
        "till luft, mark och vatten, farliga kemikalier och avfall.",
    ),
    (
        Area.BUSINESS_ETHICS,
        "Leverantören tolererar ingen korruption: inga mutor, ingen bestickning, utpressning "
        "eller förskingring, i enlighet med FN:s konvention mot korruption.",
    ),
    (
        Area.BUSINESS_ETHICS,
        "Gåvor, representation och andra förmåner ges inte till offentliganställda om de kan "
        "påverka, eller uppfattas påverka, ett beslut.",
    ),
]

COMMITMENTS_V2 = [
    *COMMITMENTS_V1[:2],
    (
        Area.HUMAN_RIGHTS,
        "Upptäcks barnarbete sätts barnets bästa främst: barnet får stöd att gå i skolan och "
        "familjen förlorar inte sin försörjning.",
    ),
    *COMMITMENTS_V1[2:6],
    (
        Area.WORKERS_RIGHTS,
        "Arbetsmiljön är säker och hälsosam: risker bedöms och åtgärdas, nödutgångar hålls fria "
        "och arbetstagarna får skyddsutrustning och utbildning utan kostnad.",
    ),
    *COMMITMENTS_V1[7:10],
    (
        Area.ENVIRONMENT,
        "Leverantören kartlägger sina utsläpp av växthusgaser och har mål och åtgärder för att "
        "minska dem.",
    ),
    *COMMITMENTS_V1[10:],
    (
        Area.BUSINESS_ETHICS,
        "Intressekonflikter redovisas öppet, och bokföring och rapportering är korrekt och "
        "fullständig.",
    ),
]

ILO = "ILO:s konvention nr {number} {about}"
INSTRUMENTS_V1 = [
    (
        "FN:s allmänna förklaring",
        "FN:s allmänna förklaring om de mänskliga rättigheterna",
        Area.HUMAN_RIGHTS,
    ),
    ("ILO 29", ILO.format(number=29, about="om tvångsarbete"), Area.WORKERS_RIGHTS),
    (
        "ILO 87",
        ILO.format(number=87, about="om föreningsfrihet och skydd för organisationsrätten"),
        Area.WORKERS_RIGHTS,
    ),
    (
        "ILO 98",
        ILO.format(number=98, about="om organisationsrätten och den kollektiva förhandlingsrätten"),
        Area.WORKERS_RIGHTS,
    ),
    (
        "ILO 100",
        ILO.format(number=100, about="om lika lön för kvinnor och män för arbete av lika värde"),
        Area.WORKERS_RIGHTS,
    ),
    (
        "ILO 105",
        ILO.format(number=105, about="om avskaffande av tvångsarbete"),
        Area.WORKERS_RIGHTS,
    ),
    (
        "ILO 111",
        ILO.format(number=111, about="om diskriminering i fråga om anställning och yrkesutövning"),
        Area.WORKERS_RIGHTS,
    ),
    (
        "ILO 138",
        ILO.format(number=138, about="om minimiålder för tillträde till arbete"),
        Area.WORKERS_RIGHTS,
    ),
    (
        "ILO 182",
        ILO.format(number=182, about="om de värsta formerna av barnarbete"),
        Area.WORKERS_RIGHTS,
    ),
    (
        "Barnkonventionen art. 32",
        "FN:s konvention om barnets rättigheter, artikel 32: skydd mot ekonomiskt utnyttjande",
        Area.HUMAN_RIGHTS,
    ),
    ("UNCAC", "FN:s konvention mot korruption", Area.BUSINESS_ETHICS),
    (
        "Tillverkningslandets lag",
        "Tillverkningslandets arbetsrätts-, arbetsmiljö- och miljölagstiftning",
        "",
    ),
]
INSTRUMENTS_V2 = [
    *INSTRUMENTS_V1[:9],
    (
        "ILO 155",
        ILO.format(number=155, about="om arbetarskydd och arbetsmiljö"),
        Area.WORKERS_RIGHTS,
    ),
    (
        "ILO 187",
        ILO.format(number=187, about="om ramverket för att främja arbetarskydd och arbetsmiljö"),
        Area.WORKERS_RIGHTS,
    ),
    *INSTRUMENTS_V1[9:],
]

ZERO_TOLERANCE_V1 = [
    (
        "child-labour",
        "Barnarbete",
        "Barn under minimiåldern arbetar, eller minderåriga utför farligt arbete "
        "(ILO 138 och 182).",
        Area.HUMAN_RIGHTS,
    ),
    (
        "forced-labour",
        "Tvångsarbete",
        "Arbete under hot om straff eller som arbetstagaren inte fritt kan lämna, till exempel "
        "skuldslaveri, innehållna identitetshandlingar och ofrivilligt fängelsearbete "
        "(ILO 29 och 105).",
        Area.WORKERS_RIGHTS,
    ),
    (
        "threat-to-life-and-health",
        "Allvarliga hot mot liv och hälsa",
        "Till exempel låsta eller blockerade nödutgångar, byggnader med uppenbar rasrisk eller "
        "hantering av farliga ämnen utan skydd.",
        Area.WORKERS_RIGHTS,
    ),
    (
        "bribery",
        "Mutor och korruption",
        "Att erbjuda, ge, begära eller ta emot otillbörliga förmåner för att påverka ett beslut.",
        Area.BUSINESS_ETHICS,
    ),
]
ZERO_TOLERANCE_V2 = [
    *ZERO_TOLERANCE_V1,
    (
        "retaliation",
        "Repressalier mot den som larmar eller organiserar sig",
        "Uppsägning, hot eller andra bestraffningar av arbetstagare som rapporterar "
        "missförhållanden, medverkar vid revision eller är fackligt aktiva.",
        Area.WORKERS_RIGHTS,
    ),
    (
        "falsified-records",
        "Förfalskade uppgifter vid uppföljning",
        "Medvetet falska dokument, instruerade intervjusvar eller att revisorer nekas tillträde.",
        Area.BUSINESS_ETHICS,
    ),
    (
        "serious-environmental-harm",
        "Allvarlig miljöskada",
        "Avsiktliga eller grovt vårdslösa utsläpp som allvarligt skadar människors hälsa eller "
        "miljön.",
        Area.ENVIRONMENT,
    ),
]


def _code_content(commitments, instruments, zero_tolerance) -> dict:
    return {
        "title": CODE_TITLE,
        "title_en": english(CODE_TITLE),
        "introduction": CODE_INTRODUCTION,
        "introduction_en": english(CODE_INTRODUCTION),
        "commitments": [
            {"area": area, "text": text, "text_en": english(text)} for area, text in commitments
        ],
        "instruments": [
            {
                "reference": reference,
                "reference_en": english(reference) or reference,
                "title": title,
                "title_en": english(title),
                "area": area,
            }
            for reference, title, area in instruments
        ],
        "zero_tolerance": [
            {
                "key": key,
                "title": title,
                "title_en": english(title),
                "description": description,
                "description_en": english(description),
                "area": area,
            }
            for key, title, description, area in zero_tolerance
        ],
    }


# --- Contract clause --------------------------------------------------------------------------

CLAUSE_TITLE = "Tillbörlig aktsamhet för hållbara leveranskedjor"
PROCESS_REQUIREMENTS_2021 = [
    (
        "Policy och ansvar",
        "Leverantören ska ha en policy som omfattar uppförandekodens krav och en utsedd "
        "ansvarig för arbetet i avtalet.",
        "Som basnivån, och policyn ska vara antagen av ledningen och förmedlas till "
        "underleverantörerna.",
    ),
    (
        "Identifiera och bedöma risker",
        "Leverantören ska kartlägga leveranskedjan för avtalade varor till och med "
        "tillverkningsenheten för slutprodukten och bedöma riskerna inom kodens fyra områden.",
        "Leverantören ska kartlägga leveranskedjan ner till de led där riskerna är störst och "
        "bedöma varje risks sannolikhet och allvarlighetsgrad.",
    ),
    (
        "Upphöra med, förebygga och begränsa",
        "Leverantören ska vidta åtgärder mot negativ påverkan som den orsakar eller bidrar till.",
        "Som basnivån, med en tidsatt åtgärdsplan för de prioriterade riskerna.",
    ),
    (
        "Använda påverkansmöjligheter i leveranskedjan",
        "Leverantören ska ställa krav motsvarande uppförandekoden på sina direkta "
        "underleverantörer.",
        "Leverantören ska använda sina påverkansmöjligheter i hela kedjan, till exempel genom "
        "samarbete med andra köpare.",
    ),
    (
        "Följa upp",
        "Leverantören ska följa upp att kraven efterlevs där riskerna bedömts som störst.",
        "Leverantören ska följa upp efterlevnad och åtgärdernas effekt enligt en "
        "uppföljningsplan, bland annat genom revisioner på plats.",
    ),
    (
        "Klagomålsmekanism",
        "Leverantören ska ha en kanal där arbetstagare kan framföra klagomål.",
        "Klagomålsmekanismen ska vara tillgänglig för arbetstagare i leveranskedjan och "
        "möjliggöra anonymitet.",
    ),
    (
        "Gottgörelse",
        "Har leverantören orsakat negativ påverkan ska den medverka till gottgörelse.",
        "Som basnivån, och gottgörelsen ska följas upp tills den är genomförd.",
    ),
]
PROCESS_REQUIREMENTS_2024 = [
    (
        "Policy och ansvar",
        "Leverantören ska ha en av ledningen antagen policy som omfattar uppförandekodens krav "
        "och utse en person som ansvarar för arbetet med tillbörlig aktsamhet i avtalet.",
        "Som basnivån, och policyn ska vara offentlig, förmedlas till underleverantörer i alla "
        "led och ses över årligen av ledningen. Ansvar, befogenheter och resurser för arbetet "
        "ska vara dokumenterade.",
    ),
    (
        "Identifiera och bedöma risker",
        "Leverantören ska kartlägga leveranskedjan för avtalade varor till och med "
        "tillverkningsenheten för slutprodukten och bedöma risken för negativ påverkan inom "
        "uppförandekodens fyra områden.",
        "Leverantören ska kartlägga leveranskedjan ner till de led där riskerna är störst, även "
        "råvaruledet, bedöma sannolikhet och allvarlighetsgrad för varje risk och prioritera de "
        "allvarligaste. Bedömningen ska uppdateras minst årligen och när förutsättningarna "
        "ändras.",
    ),
    (
        "Upphöra med, förebygga och begränsa",
        "Leverantören ska vidta åtgärder för att upphöra med negativ påverkan som den orsakar "
        "eller bidrar till och för att förebygga och begränsa identifierade risker.",
        "Som basnivån, med en tidsatt åtgärdsplan för de prioriterade riskerna som följs upp och "
        "redovisas för köparen på begäran.",
    ),
    (
        "Använda påverkansmöjligheter i leveranskedjan",
        "Leverantören ska avtalsvis ställa krav motsvarande uppförandekoden på sina direkta "
        "underleverantörer.",
        "Leverantören ska använda och vid behov öka sina påverkansmöjligheter i hela kedjan, "
        "till exempel genom samarbete med andra köpare, kapacitetsbyggande hos "
        "underleverantörer och ansvarsfulla inköpsmetoder med rimliga ledtider och priser.",
    ),
    (
        "Följa upp",
        "Leverantören ska följa upp att kraven efterlevs hos de underleverantörer där riskerna "
        "bedömts som störst och dokumentera resultatet.",
        "Leverantören ska enligt en uppföljningsplan följa upp efterlevnad och åtgärdernas "
        "effekt, bland annat genom revisioner på plats med arbetstagarintervjuer, och använda "
        "resultatet för att förbättra arbetet.",
    ),
    (
        "Klagomålsmekanism",
        "Leverantören ska ha en kanal där arbetstagare och andra berörda kan framföra klagomål "
        "om missförhållanden utan risk för repressalier.",
        "Klagomålsmekanismen ska vara tillgänglig för arbetstagare och berörda i hela "
        "leveranskedjan, på deras språk, möjliggöra anonymitet och ha tydliga rutiner för "
        "hantering och återkoppling. Leverantören redovisar årligen antal och typ av ärenden.",
    ),
    (
        "Gottgörelse",
        "Har leverantören orsakat eller bidragit till negativ påverkan ska den medverka till "
        "gottgörelse för de drabbade.",
        "Som basnivån, och gottgörelsen ska tas fram i dialog med de drabbade eller deras "
        "företrädare och följas upp tills den är genomförd.",
    ),
]

CLAUSE_INTRODUCTION = (
    "Leverantören ska under avtalstiden arbeta systematiskt med tillbörlig aktsamhet för att "
    "förhindra att varor som levereras enligt avtalet har producerats under förhållanden som "
    "strider mot uppförandekoden för leverantörer. Arbetet ska stå i proportion till riskerna "
    "och till leverantörens storlek och förutsättningar.\n"
    "Avtalet anger om villkoren gäller på basnivå eller avancerad nivå."
)
REPORTING_TEXT = (
    "Leverantören ska utan dröjsmål, och senast inom angiven tid, skriftligen informera köparen "
    "när den får kännedom om eller misstänker en nolltoleransavvikelse i leveranskedjan för "
    "avtalade varor: vad som har hänt, var, och vilka åtgärder som vidtagits eller planeras."
)
FOLLOW_UP_TEXT = (
    "Köparen, eller en oberoende tredje part som köparen utser, har rätt att under hela "
    "avtalstiden följa upp att villkoren efterlevs, genom självskattning, spårbarhetsförfrågan, "
    "revision på kontor eller på produktionsenhet och dialog.\n"
    "Leverantören ska medverka, lämna efterfrågade uppgifter och dokument inom skälig tid och "
    "ge tillträde till produktionsenheter i leveranskedjan."
)
SANCTIONS_TEXT = (
    "Uppfyller leverantören inte villkoren, eller genomförs inte överenskomna åtgärder i tid, "
    "har köparen rätt till vite för varje påbörjad vecka som bristen består, upp till taket. "
    "Vitet begränsar inte köparens rätt till andra påföljder."
)
TERMINATION_TEXT = (
    "Är bristen inte åtgärdad när vitet har nått taket, eller brister leverantören väsentligt i "
    "att medverka vid uppföljning, har köparen rätt att häva avtalet."
)
IMMEDIATE_TERMINATION_TEXT = (
    "Vid en nolltoleransavvikelse som leverantören inte omedelbart åtgärdar, eller som "
    "leverantören har underlåtit att rapportera, har köparen rätt att häva avtalet med "
    "omedelbar verkan."
)


def _with_english(**texts: str) -> dict[str, str]:
    """Return each Swedish text with its English one beside it (name_en)."""
    return {
        **texts,
        **{f"{name}_en": english(text) for name, text in texts.items()},
    }


def _clause_content(*, version, reporting_days, vite, cap, requirements) -> dict:
    return {
        "version": version,
        "reporting_days": reporting_days,
        "vite_per_week_sek": vite,
        "vite_cap_weeks": cap,
        **_with_english(
            title=CLAUSE_TITLE,
            introduction=CLAUSE_INTRODUCTION,
            reporting_text=REPORTING_TEXT,
            follow_up_text=FOLLOW_UP_TEXT,
            sanctions_text=SANCTIONS_TEXT,
            termination_text=TERMINATION_TEXT,
            immediate_termination_text=IMMEDIATE_TERMINATION_TEXT,
        ),
        "process_requirements": [
            {
                "number": number,
                **_with_english(title=title, basic_text=basic, advanced_text=advanced),
            }
            for number, (title, basic, advanced) in enumerate(requirements, start=1)
        ],
    }


# Demo values: reporting within 30 then 14 days; vite 5 000 then 10 000 kr per started week.
CLAUSE_2021 = _clause_content(
    version=2021, reporting_days=30, vite=5_000, cap=8, requirements=PROCESS_REQUIREMENTS_2021
)
CLAUSE_2024 = _clause_content(
    version=2024, reporting_days=14, vite=10_000, cap=10, requirements=PROCESS_REQUIREMENTS_2024
)


# --- Criteria ---------------------------------------------------------------------------------

B, A, S = CriterionLevel.BASIC, CriterionLevel.ADVANCED, CriterionLevel.SPEARHEAD
QUAL = CriterionType.QUALIFICATION
SPEC = CriterionType.TECHNICAL_SPECIFICATION
AWARD = CriterionType.AWARD_CRITERION
COND = CriterionType.CONTRACT_CONDITION


@dataclass(frozen=True)
class DemoCriterion:
    identifier: str
    level: str
    criterion_type: str
    area: str
    title: str
    requirement_text: str
    rationale: str
    verification: str
    categories: tuple[str, ...]
    published: datetime | None  # None: left as a draft


CRITERIA = [
    DemoCriterion(
        "HU-TEX-01",
        B,
        COND,
        Area.WORKERS_RIGHTS,
        "Spårbarhet till tillverkningsenhet för textilier",
        "Leverantören ska på begäran redovisa namn och adress för de tillverkningsenheter där "
        "avtalade textilier sys.",
        "Risken för tvångsarbete och brister i arbetsmiljön är hög i textilproduktion; utan "
        "spårbarhet kan kraven inte följas upp.",
        "Förteckning över tillverkningsenheter inom 30 dagar från begäran.",
        ("laundry-and-textiles",),
        _day(2022, 5, 2),
    ),
    DemoCriterion(
        "HU-TEX-02",
        B,
        SPEC,
        Area.ENVIRONMENT,
        "Begränsning av farliga ämnen i textilier",
        "Textilier får inte innehålla ämnen på EU:s kandidatförteckning över särskilt farliga "
        "ämnen i halter över 0,1 viktprocent.",
        "Vårdtextilier tvättas ofta och används nära huden; farliga ämnen sprids till "
        "avloppsvatten och kan skada både användare och miljö.",
        "Testrapport från ackrediterat laboratorium eller giltig miljömärkning som omfattar "
        "kravet.",
        ("laundry-and-textiles",),
        _day(2023, 3, 1),
    ),
    DemoCriterion(
        "HU-KIR-01",
        B,
        COND,
        Area.WORKERS_RIGHTS,
        "Tillbörlig aktsamhet för kirurgiska instrument",
        "Avtalet ska innehålla kontraktsvillkoret Tillbörlig aktsamhet för hållbara "
        "leveranskedjor på basnivå.",
        "Kirurgiska instrument tillverkas ofta i länder med hög risk för barnarbete och farlig "
        "arbetsmiljö vid smide, slipning och polering.",
        "Självskattning inom sex månader från avtalsstart; revision vid behov.",
        ("surgical-instruments",),
        _day(2023, 3, 1),
    ),
    DemoCriterion(
        "HU-KIR-02",
        A,
        COND,
        Area.WORKERS_RIGHTS,
        "Arbetsmiljö vid slipning och polering",
        "Leverantören ska säkerställa att arbetstagare som slipar och polerar instrument har "
        "fungerande punktutsug och andningsskydd och att exponeringen för metalldamm mäts.",
        "Metalldamm orsakar allvarliga lungsjukdomar; åtgärderna är kända och inte kostsamma.",
        "Mätprotokoll och fotodokumentation; kontrolleras vid fabriksrevision.",
        ("surgical-instruments",),
        _day(2024, 2, 1),
    ),
    DemoCriterion(
        "HU-HAN-01",
        A,
        COND,
        Area.WORKERS_RIGHTS,
        "Inga rekryteringsavgifter för migrantarbetare",
        "Leverantören ska säkerställa att migrantarbetare i tillverkningen av avtalade varor "
        "inte har betalat rekryteringsavgifter. Avgifter som ändå betalats ska återbetalas.",
        "Rekryteringsavgifter leder ofta till skuldslaveri, särskilt i tillverkningen av "
        "engångshandskar.",
        "Intyg från tillverkaren, lönespecifikationer och arbetstagarintervjuer vid revision.",
        ("general-consumables", "care-related-paper-and-plastic"),
        _day(2024, 2, 1),
    ),
    DemoCriterion(
        "HU-LIV-01",
        A,
        AWARD,
        Area.WORKERS_RIGHTS,
        "Rättvist handlade riskråvaror",
        "Mervärde ges för kaffe, te, kakao och bananer som är certifierade enligt ett system för "
        "rättvis handel eller motsvarande.",
        "Odlare och plantagearbetare av dessa råvaror har ofta löner under existensminimum.",
        "Certifikat eller motsvarande bevis per produkt.",
        ("food-and-related-services",),
        _day(2023, 9, 1),
    ),
    DemoCriterion(
        "HU-LIV-02",
        B,
        COND,
        Area.ENVIRONMENT,
        "Minskat matsvinn",
        "Leverantören ska mäta matsvinnet i köket och serveringen varje månad och redovisa "
        "åtgärder för att minska det.",
        "Matsvinn står för en betydande del av måltidernas klimatpåverkan.",
        "Månadsrapport till beställaren.",
        ("food-and-related-services", "nutrition"),
        _day(2023, 9, 1),
    ),
    DemoCriterion(
        "HU-LOK-01",
        B,
        SPEC,
        Area.ENVIRONMENT,
        "Miljömärkta rengöringsmedel",
        "Rengöringsmedel som används i uppdraget ska uppfylla kraven i en officiell miljömärkning "
        "av typ 1 eller motsvarande.",
        "Minskar utsläppen av miljöfarliga ämnen och personalens exponering för dem.",
        "Produktlista med märkning eller testresultat.",
        ("cleaning-services",),
        _day(2023, 3, 1),
    ),
    DemoCriterion(
        "HU-LOK-02",
        B,
        COND,
        Area.WORKERS_RIGHTS,
        "Skäliga arbetsvillkor för lokalvårdare",
        "Lön, semester och arbetstid för personal som utför uppdraget ska lägst motsvara "
        "nivåerna i gällande centralt kollektivavtal för branschen.",
        "Lokalvård är en bransch med risk för osunda arbetsvillkor och lönedumpning.",
        "Intyg och lönespecifikationer på begäran.",
        ("cleaning-services",),
        _day(2023, 3, 1),
    ),
    DemoCriterion(
        "HU-IT-01",
        B,
        SPEC,
        Area.WORKERS_RIGHTS,
        "Socialt ansvarsfull tillverkning av IT-produkter",
        "Datorer, skärmar och mobiltelefoner ska vara certifierade enligt en tredjepartsmärkning "
        "som omfattar arbetsvillkor i tillverkningen, eller motsvarande.",
        "Elektronikindustrin har dokumenterade brister i arbetstid, löner och arbetsmiljö.",
        "Certifikat per produktmodell.",
        ("it",),
        _day(2023, 3, 1),
    ),
    DemoCriterion(
        "HU-IT-02",
        A,
        COND,
        Area.HUMAN_RIGHTS,
        "Ansvarsfulla inköp av konfliktmineraler",
        "Leverantören ska ha en process för tillbörlig aktsamhet för tenn, tantal, volfram och "
        "guld i avtalade produkter enligt OECD:s vägledning för ansvarsfulla leveranskedjor för "
        "mineraler.",
        "Utvinning av dessa mineraler kan finansiera väpnade konflikter och allvarliga "
        "kränkningar av mänskliga rättigheter.",
        "Smältverksförteckning och rapport enligt en branschstandardiserad mall.",
        ("it", "medical-technology-imaging-and-function"),
        _day(2024, 2, 1),
    ),
    DemoCriterion(
        "HU-MT-01",
        S,
        AWARD,
        Area.ENVIRONMENT,
        "Låg energianvändning i viloläge",
        "Mervärde ges för utrustning vars energianvändning i viloläge och lågeffektläge är lägre "
        "än den angivna nivån.",
        "Bildgivande utrustning står stora delar av dygnet i viloläge och drar mycket el.",
        "Tillverkarens mätdata enligt angiven standard.",
        ("medical-technology-imaging-and-function", "medical-technology"),
        _day(2024, 2, 1),
    ),
    DemoCriterion(
        "HU-SYS-01",
        B,
        QUAL,
        Area.BUSINESS_ETHICS,
        "Rutiner för tillbörlig aktsamhet",
        "Leverantören ska ha dokumenterade rutiner för att identifiera, förebygga och hantera "
        "risker för negativ påverkan på människor och miljö i leveranskedjan.",
        "Visar att leverantören har förutsättningar att uppfylla kontraktsvillkoret.",
        "Rutinbeskrivning bifogad anbudet.",
        ("wound-care", "compression", "incontinence-and-stoma", "basic-medical-equipment"),
        _day(2023, 3, 1),
    ),
    DemoCriterion(
        "HU-SYS-02",
        B,
        QUAL,
        Area.BUSINESS_ETHICS,
        "Förebyggande av korruption",
        "Leverantören ska ha en antikorruptionspolicy och rutiner för gåvor, representation och "
        "intressekonflikter som är kända av de anställda.",
        "Korruption snedvrider konkurrensen och undergräver förtroendet för offentliga inköp.",
        "Policy och rutiner bifogade anbudet.",
        ("dental-care", "general-consumables", "basic-medical-equipment"),
        _day(2023, 3, 1),
    ),
    DemoCriterion(
        "HU-PAP-01",
        S,
        AWARD,
        Area.ENVIRONMENT,
        "Förnybar eller återvunnen plast",
        "Mervärde ges i förhållande till andelen förnybar eller återvunnen råvara i produkternas "
        "plastdelar.",
        "Vårdnära engångsartiklar står för stora mängder fossil plast.",
        "Tillverkarens massbalansintyg eller motsvarande.",
        ("care-related-paper-and-plastic", "incontinence-and-stoma"),
        _day(2024, 2, 1),
    ),
    DemoCriterion(
        "HU-LAK-01",
        S,
        COND,
        Area.ENVIRONMENT,
        "Begränsade utsläpp av antibiotika vid tillverkning",
        "Leverantören ska redovisa halterna av aktiv substans i avloppsvatten från "
        "tillverkningen av avtalade antibiotika och hålla dem under de angivna gränsvärdena.",
        "Utsläpp från antibiotikatillverkning driver fram resistenta bakterier.",
        "Mätrapporter från oberoende laboratorium, årligen.",
        ("pharmaceuticals",),
        None,
    ),
]

# HU-TEX-01 version 2: extended to the spinning mill and raised to the advanced level.
TEX_01_V2 = {
    "level": A,
    "title": "Spårbarhet till spinneri för bomullsprodukter",
    "requirement_text": "Leverantören ska på begäran redovisa namn och adress för de "
    "tillverkningsenheter där avtalade textilier sys, vävs eller stickas och för de spinnerier "
    "som levererar bomullsgarnet.",
    "rationale": "Risken för tvångsarbete är hög i bomullsodling och spinning; utan spårbarhet "
    "bakåt i kedjan kan kraven inte följas upp.",
    "verification": "Förteckning över tillverkningsenheter och spinnerier inom 30 dagar från "
    "begäran; transaktionsdokument vid spårbarhetsrevision.",
}


# --- loading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LibrarySummary:
    codes: int
    clauses: int
    criteria: int


def _set_dates(version: LibraryVersion, *, published: datetime) -> None:
    """Give a demo version its fixed publication date, and its predecessor the same end date."""
    model = type(version)
    model.objects.filter(pk=version.pk).update(published_at=published)
    if version.based_on_id:
        model.objects.filter(pk=version.based_on_id).update(superseded_at=published)


def _categories(slugs: tuple[str, ...]) -> list[Category]:
    return list(Category.objects.filter(slug__in=slugs).order_by("slug"))


@transaction.atomic
def load_requirement_library() -> LibrarySummary:
    """Create the demo library once: codes v1–v2, clauses 2021 and 2024, the criteria."""
    if not CodeOfConduct.objects.filter(version=1).exists():
        code = create_code_draft(
            acting_user=None, **_code_content(COMMITMENTS_V1, INSTRUMENTS_V1, ZERO_TOLERANCE_V1)
        )
        publish_version(
            code,
            note="Första gemensamma versionen.",
            note_en="The first common version.",
            acting_user=None,
        )
        _set_dates(code, published=_day(2018, 5, 2))
    if not CodeOfConduct.objects.filter(version=2).exists():
        code = start_new_version(CodeOfConduct.objects.get(version=1), acting_user=None)
        update_code_draft(
            code,
            acting_user=None,
            **_code_content(COMMITMENTS_V2, INSTRUMENTS_V2, ZERO_TOLERANCE_V2),
        )
        publish_version(
            code,
            note="ILO 155 och 187 (arbetsmiljö) tillagda; klimatåtagande och tre nya "
            "nolltoleransavvikelser.",
            note_en="ILO 155 and 187 (occupational safety and health) added; a climate "
            "commitment and three new zero-tolerance deviations.",
            acting_user=None,
        )
        _set_dates(code, published=_day(2023, 2, 1))

    if not ContractClause.objects.filter(version=2021).exists():
        clause = create_clause_draft(acting_user=None, **CLAUSE_2021)
        publish_version(
            clause,
            note="Första versionen av villkoret.",
            note_en="The first version of the clause.",
            acting_user=None,
        )
        _set_dates(clause, published=_day(2021, 6, 1))
    if not ContractClause.objects.filter(version=2024).exists():
        clause = start_new_version(ContractClause.objects.get(version=2021), acting_user=None)
        update_clause_draft(clause, acting_user=None, **CLAUSE_2024)
        publish_version(
            clause,
            note="Rapportering inom 14 dagar i stället för 30; vite 10 000 kr per påbörjad "
            "vecka i högst 10 veckor; PR1–PR7 förtydligade.",
            note_en="Reporting within 14 days instead of 30; liquidated damages of SEK 10,000 "
            "per started week for at most 10 weeks; PR1–PR7 clarified.",
            acting_user=None,
        )
        _set_dates(clause, published=_day(2024, 1, 15))

    for spec in CRITERIA:
        if Criterion.objects.filter(identifier=spec.identifier).exists():
            continue
        criterion = create_criterion(
            acting_user=None,
            identifier=spec.identifier,
            level=spec.level,
            criterion_type=spec.criterion_type,
            area=spec.area,
            title=spec.title,
            requirement_text=spec.requirement_text,
            rationale=spec.rationale,
            verification=spec.verification,
            categories=_categories(spec.categories),
        )
        if spec.published is None:
            continue
        publish_version(criterion, note="Första versionen.", acting_user=None)
        _set_dates(criterion, published=spec.published)
    tex = Criterion.objects.filter(identifier="HU-TEX-01")
    if not tex.filter(version=2).exists():
        draft = start_new_version(tex.get(version=1), acting_user=None)
        update_criterion_draft(
            draft,
            acting_user=None,
            categories=list(draft.categories.all()),
            **{**{f: getattr(draft, f) for f in Criterion.COPY_FIELDS}, **TEX_01_V2},
        )
        publish_version(
            draft,
            note="Spårbarheten omfattar nu spinneriet; nivån höjd till avancerad.",
            acting_user=None,
        )
        _set_dates(draft, published=_day(2024, 9, 2))
    return LibrarySummary(
        codes=CodeOfConduct.objects.count(),
        clauses=ContractClause.objects.count(),
        criteria=Criterion.objects.values("identifier").distinct().count(),
    )
