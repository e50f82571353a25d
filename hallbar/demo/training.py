"""The demo's national training package: seven modules in Swedish and English, assignments and
a spread of completions across regions and roles.

The texts are written for the platform. Each module: key, audiences, areas, title and summary
(sv, en), lessons [(title sv, title en, body sv, body en)] and questions [(kind, text sv, text en,
[(option sv, option en, right)])]. Deterministic and idempotent: a module whose key exists is
left alone, and completions are made only once.
"""

import random
from datetime import datetime, time, timedelta
from typing import TypedDict

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hallbar.categories.selectors import prioritised_in
from hallbar.contracts.models import Contract
from hallbar.core.clock import demo_today
from hallbar.organisations.models import Region, Role, User
from hallbar.organisations.services import add_membership
from hallbar.training.models import (
    Assignment,
    Attempt,
    Certificate,
    Lesson,
    Module,
    RoleAssignment,
)
from hallbar.training.services import (
    add_question,
    issue_certificate,
    publish_module,
    sync_assignments,
    upload_image,
)

S, M = "single", "multiple"
# Where a lesson shows the module's demo image; replaced by the image's address once uploaded.
IMAGE_LINK = "{demo-image}"
IMAGE_NAME = "fyra-steg.png"

# (option sv, option en, right)
OptionSpec = tuple[str, str, bool]
# (title sv, title en, body sv, body en)
LessonSpec = tuple[str, str, str, str]
# (kind, text sv, text en, options)
QuestionSpec = tuple[str, str, str, list[OptionSpec]]


class ModuleSpec(TypedDict):
    key: str
    audiences: list[str]
    areas: list[str]
    title: tuple[str, str]  # (sv, en)
    summary: tuple[str, str]  # (sv, en)
    lessons: list[LessonSpec]
    questions: list[QuestionSpec]


MODULES: list[ModuleSpec] = [
    {
        "key": "why-sustainable-procurement",
        "audiences": ["buyer", "contract_manager", "region_contact", "area_coordinator", "auditor"],
        "areas": [],
        "title": (
            "Varför hållbar upphandling – och de fyra områdena",
            "Why sustainable procurement – and the four areas",
        ),
        "summary": (
            "Varför regionerna ställer hållbarhetskrav i leverantörskedjan, och vad de fyra områdena i uppförandekoden omfattar.",
            "Why the regions set sustainability requirements in the supply chain, and what the four areas of the Code of Conduct cover.",
        ),
        "lessons": [
            (
                "Regionernas ansvar",
                "The regions' responsibility",
                "Regionerna köper varor och tjänster för mångmiljardbelopp varje år. Många av varorna – handskar, instrument, textilier, elektronik – tillverkas i länder där risken för brott mot mänskliga rättigheter är hög.\n\n"
                "Som offentlig köpare har regionen **ett ansvar** enligt FN:s vägledande principer för företag och mänskliga rättigheter att inte bidra till skada i sina leverantörskedjor.\n\n"
                "Samarbetet gör att 21 regioner ställer **samma krav**, följer upp **tillsammans** och delar resultaten. En leverantör möter ett enda kravpaket i stället för 21.",
                "The regions buy goods and services worth billions every year. Many of the goods – gloves, instruments, textiles, electronics – are made in countries where the risk of human rights abuse is high.\n\n"
                "As a public buyer the region has **a responsibility** under the UN Guiding Principles on Business and Human Rights not to contribute to harm in its supply chains.\n\n"
                "The cooperation means that 21 regions set **the same requirements**, follow up **together** and share the results. A supplier meets one set of requirements instead of 21.",
            ),
            (
                "De fyra områdena",
                "The four areas",
                "Uppförandekoden delar kraven i fyra områden:\n\n"
                "1. **Mänskliga rättigheter** – till exempel barnarbete och diskriminering.\n"
                "2. **Arbetsrätt** – tvångsarbete, föreningsfrihet, arbetstider, lön och arbetsmiljö.\n"
                "3. **Miljö inklusive klimat** – utsläpp, kemikalier och resursanvändning.\n"
                "4. **Affärsetik och antikorruption** – mutor, bedrägeri och intressekonflikter.\n\n"
                "Riskanalysen bedömer varje kategori i alla fyra områdena, och en avvikelse hör alltid till ett av dem.",
                "The Code of Conduct divides the requirements into four areas:\n\n"
                "1. **Human rights** – for example child labour and discrimination.\n"
                "2. **Workers' rights** – forced labour, freedom of association, working hours, wages and health and safety.\n"
                "3. **Environment including climate** – emissions, chemicals and use of resources.\n"
                "4. **Business ethics and anti-corruption** – bribery, fraud and conflicts of interest.\n\n"
                "The risk analysis assesses every category in all four areas, and a deviation always belongs to one of them.",
            ),
            (
                "Från risk till uppföljning",
                "From risk to follow-up",
                "Arbetet går i fyra steg, som bilden visar: **riskanalys** per kategori, **krav** i upphandlingen, **uppföljning** av leverantörerna och **resultat** som redovisas öppet.\n\n"
                f"![Fyra steg: riskanalys, krav, uppföljning, resultat]({IMAGE_LINK})\n\n"
                "Varje steg bygger på det förra: utan riskanalys vet vi inte var kraven behövs, och utan uppföljning vet vi inte om de följs.",
                "The work runs in four steps, as the picture shows: **risk analysis** per category, **requirements** in the procurement, **follow-up** of the suppliers and **results** reported openly.\n\n"
                f"![Four steps: risk analysis, requirements, follow-up, results]({IMAGE_LINK})\n\n"
                "Each step builds on the one before: without a risk analysis we do not know where requirements are needed, and without follow-up we do not know whether they are met.",
            ),
        ],
        "questions": [
            (
                S,
                "Varför samarbetar regionerna om hållbarhetskraven?",
                "Why do the regions cooperate on sustainability requirements?",
                [
                    (
                        "Så att leverantörer möter samma krav och uppföljningar delas",
                        "So that suppliers meet the same requirements and follow-ups are shared",
                        True,
                    ),
                    (
                        "För att det är billigare att köpa in tillsammans",
                        "Because buying together is cheaper",
                        False,
                    ),
                    (
                        "För att lagen förbjuder regioner att ställa egna krav",
                        "Because the law forbids regions to set their own requirements",
                        False,
                    ),
                ],
            ),
            (
                M,
                "Vilka hör till uppförandekodens fyra områden?",
                "Which belong to the four areas of the Code of Conduct?",
                [
                    ("Arbetsrätt", "Workers' rights", True),
                    ("Miljö inklusive klimat", "Environment including climate", True),
                    ("Leveransprecision", "Delivery precision", False),
                    ("Affärsetik och antikorruption", "Business ethics and anti-corruption", True),
                ],
            ),
            (
                S,
                "Vilket ramverk ligger till grund för regionens ansvar i leverantörskedjan?",
                "Which framework underlies the region's responsibility in the supply chain?",
                [
                    (
                        "FN:s vägledande principer för företag och mänskliga rättigheter",
                        "The UN Guiding Principles on Business and Human Rights",
                        True,
                    ),
                    (
                        "Lagen om offentlig upphandling ensam",
                        "The Public Procurement Act alone",
                        False,
                    ),
                    ("ISO 9001", "ISO 9001", False),
                ],
            ),
            (
                S,
                "Tvångsarbete hör till vilket område?",
                "Forced labour belongs to which area?",
                [
                    ("Arbetsrätt", "Workers' rights", True),
                    ("Miljö", "Environment", False),
                    ("Affärsetik", "Business ethics", False),
                ],
            ),
        ],
    },
    {
        "key": "code-of-conduct",
        "audiences": [
            "buyer",
            "contract_manager",
            "region_contact",
            "area_coordinator",
            "supplier",
        ],
        "areas": ["hr", "wr", "env", "be"],
        "title": ("Uppförandekoden för leverantörer", "The Code of Conduct for suppliers"),
        "summary": (
            "Vad uppförandekoden kräver i de fyra områdena, vilka konventioner den bygger på och vad nolltolerans betyder.",
            "What the Code of Conduct requires in the four areas, which conventions it builds on and what zero tolerance means.",
        ),
        "lessons": [
            (
                "Kodens krav",
                "What the code requires",
                "Uppförandekoden bygger på internationella konventioner: FN:s deklaration om de mänskliga rättigheterna, ILO:s kärnkonventioner, FN:s barnkonvention, Riokonventionen och FN:s konvention mot korruption.\n\n"
                "Leverantören ska följa koden **i hela leverantörskedjan**, inte bara i egen verksamhet, och ska följa lagen i tillverkningslandet. Där lagen och koden skiljer sig gäller det som skyddar arbetstagare och miljö bäst.",
                "The Code of Conduct builds on international conventions: the UN Universal Declaration of Human Rights, the ILO core conventions, the UN Convention on the Rights of the Child, the Rio Declaration and the UN Convention against Corruption.\n\n"
                "The supplier must follow the code **throughout the supply chain**, not only in its own operations, and must follow the law of the country of production. Where the law and the code differ, what protects workers and the environment best applies.",
            ),
            (
                "Nolltolerans",
                "Zero tolerance",
                "Vissa brott är så allvarliga att de aldrig accepteras, till exempel **tvångsarbete**, **de värsta formerna av barnarbete** och **mutor**.\n\n"
                "Upptäcker leverantören ett sådant brott ska det rapporteras till regionerna inom den tid avtalsvillkoret anger. Att rapportera är inte ett misslyckande – att tiga är ett avtalsbrott.",
                "Some breaches are so serious that they are never accepted, for example **forced labour**, **the worst forms of child labour** and **bribery**.\n\n"
                "If the supplier finds such a breach it must report it to the regions within the time the contract clause sets. Reporting is not a failure – keeping silent is a breach of contract.",
            ),
        ],
        "questions": [
            (
                S,
                "Var ska uppförandekoden följas?",
                "Where must the Code of Conduct be followed?",
                [
                    ("I hela leverantörskedjan", "Throughout the supply chain", True),
                    (
                        "Bara i leverantörens egna fabriker",
                        "Only in the supplier's own factories",
                        False,
                    ),
                    ("Bara i Sverige", "Only in Sweden", False),
                ],
            ),
            (
                M,
                "Vilka är exempel på nolltoleransbrott?",
                "Which are examples of zero-tolerance breaches?",
                [
                    ("Tvångsarbete", "Forced labour", True),
                    ("Mutor", "Bribery", True),
                    ("En försenad leverans", "A late delivery", False),
                ],
            ),
            (
                S,
                "Vad gäller när lagen i tillverkningslandet skyddar arbetstagare sämre än koden?",
                "What applies when the law of the country of production protects workers less than the code?",
                [
                    ("Det som skyddar bäst", "What protects best", True),
                    (
                        "Alltid lagen i tillverkningslandet",
                        "Always the law of the country of production",
                        False,
                    ),
                    ("Leverantören väljer", "The supplier chooses", False),
                ],
            ),
            (
                S,
                "Vad ska leverantören göra när den upptäcker barnarbete hos en underleverantör?",
                "What must the supplier do when it finds child labour at a sub-supplier?",
                [
                    (
                        "Rapportera till regionerna inom den angivna tiden",
                        "Report to the regions within the set time",
                        True,
                    ),
                    ("Vänta till nästa uppföljning", "Wait for the next follow-up", False),
                    (
                        "Byta underleverantör utan att berätta",
                        "Change sub-supplier without telling",
                        False,
                    ),
                ],
            ),
        ],
    },
    {
        "key": "contract-clause",
        "audiences": ["buyer", "contract_manager"],
        "areas": [],
        "title": (
            "Kontraktsvillkoret och processkraven PR1–PR7",
            "The contract clause and process requirements PR1–PR7",
        ),
        "summary": (
            "Hur de särskilda kontraktsvillkoren om tillbörlig aktsamhet används, nivåerna bas och avancerad, och de sju processkraven.",
            "How the special contract conditions on due diligence are used, the basic and advanced levels, and the seven process requirements.",
        ),
        "lessons": [
            (
                "Villkoret i avtalet",
                "The clause in the contract",
                "De särskilda kontraktsvillkoren *Tillbörlig aktsamhet för hållbara leveranskedjor* tas in i avtalet. Villkoret finns på två nivåer: **bas** och **avancerad**. Välj nivå efter riskanalysen för kategorin.\n\n"
                "I en prioriterad kategori ska villkoret alltid användas. Utanför de prioriterade kategorierna gör du en behövlighetsbedömning och skriver ner varför krav behövs eller inte.",
                "The special contract conditions *Due diligence for sustainable supply chains* are included in the contract. The clause has two levels: **basic** and **advanced**. Choose the level from the category's risk analysis.\n\n"
                "In a prioritised category the clause must always be used. Outside the prioritised categories you make a needs assessment and write down why requirements are or are not needed.",
            ),
            (
                "PR1–PR7",
                "PR1–PR7",
                "Processkraven i villkoret beskriver leverantörens arbete med tillbörlig aktsamhet, i den ordning arbetet görs:\n\n"
                "- **PR1 Policy och ansvar** – en policy som ledningen antagit och som omfattar uppförandekoden, och en utsedd ansvarig för arbetet.\n"
                "- **PR2 Identifiera och bedöma risker** – kartlägga leveranskedjan och bedöma risken för negativ påverkan inom uppförandekodens fyra områden.\n"
                "- **PR3 Upphöra med, förebygga och begränsa** – upphöra med negativ påverkan som leverantören orsakar eller bidrar till, och förebygga och begränsa de risker som hittats.\n"
                "- **PR4 Använda påverkansmöjligheter i leveranskedjan** – ställa krav motsvarande uppförandekoden på underleverantörerna och använda sitt inflytande över dem.\n"
                "- **PR5 Följa upp** – följa upp att kraven efterlevs där riskerna är störst, och dokumentera resultatet.\n"
                "- **PR6 Klagomålsmekanism** – en kanal där arbetstagare och andra berörda kan framföra klagomål utan risk för repressalier.\n"
                "- **PR7 Gottgörelse** – medverka till gottgörelse för de drabbade när leverantören har orsakat eller bidragit till negativ påverkan.\n\n"
                "På avancerad nivå går kraven längre, till exempel kartläggning ner till råvaruledet och en tidsatt åtgärdsplan. Vid en uppföljning bedöms leverantören mot varje processkrav.",
                "The process requirements of the clause describe the supplier's due-diligence work, in the order the work is done:\n\n"
                "- **PR1 Policy and responsibility** – a policy adopted by management that covers the Code of Conduct, and a named person responsible for the work.\n"
                "- **PR2 Identify and assess risks** – map the supply chain and assess the risk of adverse impact within the four areas of the Code of Conduct.\n"
                "- **PR3 Cease, prevent and mitigate** – cease adverse impacts the supplier causes or contributes to, and prevent and mitigate the risks found.\n"
                "- **PR4 Use leverage in the supply chain** – set requirements matching the Code of Conduct for its sub-suppliers and use its influence over them.\n"
                "- **PR5 Follow up** – check that the requirements are met where the risks are greatest, and document the result.\n"
                "- **PR6 Grievance mechanism** – a channel where workers and others affected can raise complaints without risk of reprisal.\n"
                "- **PR7 Remediation** – take part in remedy for those harmed when the supplier has caused or contributed to adverse impact.\n\n"
                "At the advanced level the requirements go further, for example mapping down to raw materials and a time-bound action plan. In a follow-up the supplier is assessed against each process requirement.",
            ),
        ],
        "questions": [
            (
                S,
                "När måste kontraktsvillkoret användas?",
                "When must the contract clause be used?",
                [
                    ("Alltid i en prioriterad kategori", "Always in a prioritised category", True),
                    ("Bara när leverantören vill", "Only when the supplier agrees", False),
                    (
                        "Bara i avtal över tio miljoner kronor",
                        "Only in contracts above ten million kronor",
                        False,
                    ),
                ],
            ),
            (
                S,
                "Vad handlar PR3 om?",
                "What is PR3 about?",
                [
                    (
                        "Att upphöra med, förebygga och begränsa negativ påverkan",
                        "To cease, prevent and mitigate adverse impact",
                        True,
                    ),
                    ("Policy och ansvar", "Policy and responsibility", False),
                    ("Klagomålsmekanism", "Grievance mechanism", False),
                ],
            ),
            (
                S,
                "Vilket processkrav gäller en kanal där arbetstagare kan klaga utan risk för repressalier?",
                "Which process requirement is about a channel where workers can complain without risk of reprisal?",
                [
                    ("PR6", "PR6", True),
                    ("PR3", "PR3", False),
                    ("PR7", "PR7", False),
                ],
            ),
            (
                M,
                "Vilka nivåer har kontraktsvillkoret?",
                "Which levels does the contract clause have?",
                [
                    ("Bas", "Basic", True),
                    ("Avancerad", "Advanced", True),
                    ("Spjutspets", "Spearhead", False),
                ],
            ),
            (
                S,
                "Vad gör du utanför de prioriterade kategorierna?",
                "What do you do outside the prioritised categories?",
                [
                    (
                        "En behövlighetsbedömning som dokumenteras",
                        "A needs assessment that is documented",
                        True,
                    ),
                    ("Ingenting", "Nothing", False),
                    (
                        "Använder alltid den avancerade nivån",
                        "Always use the advanced level",
                        False,
                    ),
                ],
            ),
        ],
    },
    {
        "key": "risk-analysis",
        "audiences": ["region_contact", "area_coordinator", "buyer"],
        "areas": [],
        "title": (
            "Riskanalys och prioritering i hallbar",
            "Risk analysis and prioritisation in hallbar",
        ),
        "summary": (
            "Hur plattformen bedömer risk per kategori och område, och hur kategorier och leverantörer prioriteras.",
            "How the platform assesses risk per category and area, and how categories and suppliers are prioritised.",
        ),
        "lessons": [
            (
                "Sannolikhet och allvarlighetsgrad",
                "Likelihood and severity",
                "Kansliet gör en riskanalys per kategori (och ibland per produkt). För vart och ett av de fyra områdena bedöms:\n\n"
                "- **sannolikhet** – från produktionsländernas index och den inneboende risken i produkten,\n"
                "- **allvarlighetsgrad** – omfattning, utbredning och hur svårt skadan är att återställa.\n\n"
                "Risken är sannolikhet gånger allvarlighetsgrad och ger klassen hög, medel eller låg. Varje siffra kan förklaras: sidan visar vilka data och parametrar som användes.",
                "The secretariat makes a risk analysis per category (sometimes per product). For each of the four areas it assesses:\n\n"
                "- **likelihood** – from the production countries' indices and the product's inherent risk,\n"
                "- **severity** – scale, scope and how hard the harm is to remedy.\n\n"
                "Risk is likelihood times severity and gives the class high, medium or low. Every number can be explained: the page shows which data and parameters were used.",
            ),
            (
                "Från risk till prioritering",
                "From risk to prioritisation",
                "Prioriteringen väger in **påverkansmöjligheten**: hur stor del av kategorins inköp regionerna står för, hur många regioner som köper och vilken villkorsnivå avtalen har.\n\n"
                "Screeningen kör regionernas fakturarader mot leverantörer, länder och riskanalyser. Resultatet är en lista över prioriterade kategorier och leverantörer som planeringen av årets uppföljningar bygger på.",
                "Prioritisation weighs in **leverage**: how large a share of the category's purchases the regions make, how many regions buy and which clause level the contracts have.\n\n"
                "The screening runs the regions' invoice lines against suppliers, countries and risk analyses. The result is a list of prioritised categories and suppliers on which the year's follow-up planning builds.",
            ),
        ],
        "questions": [
            (
                S,
                "Hur räknas risken i ett område?",
                "How is the risk in an area calculated?",
                [
                    ("Sannolikhet gånger allvarlighetsgrad", "Likelihood times severity", True),
                    (
                        "Avtalets värde gånger antal regioner",
                        "Contract value times number of regions",
                        False,
                    ),
                    ("Leverantörens egen bedömning", "The supplier's own assessment", False),
                ],
            ),
            (
                M,
                "Vad ingår i allvarlighetsgraden?",
                "What makes up severity?",
                [
                    ("Omfattning", "Scale", True),
                    ("Utbredning", "Scope", True),
                    ("Hur svårt skadan är att återställa", "How hard the harm is to remedy", True),
                    ("Leverantörens omsättning", "The supplier's turnover", False),
                ],
            ),
            (
                S,
                "Vad väger prioriteringen in utöver risken?",
                "What does prioritisation weigh in besides risk?",
                [
                    ("Påverkansmöjligheten", "Leverage", True),
                    ("Leverantörens logotyp", "The supplier's logo", False),
                    ("Avtalets startdatum", "The contract's start date", False),
                ],
            ),
            (
                S,
                "Vilka data kör screeningen?",
                "Which data does the screening run?",
                [
                    ("Regionernas fakturarader", "The regions' invoice lines", True),
                    ("Leverantörernas årsredovisningar", "The suppliers' annual reports", False),
                    ("Nyhetsartiklar", "News articles", False),
                ],
            ),
        ],
    },
    {
        "key": "planning-follow-up",
        "audiences": ["area_coordinator", "region_contact", "auditor"],
        "areas": [],
        "title": ("Planera och genomföra en uppföljning", "Planning and running a follow-up"),
        "summary": (
            "Årsplanen, typerna av uppföljning, regeln om återanvändning och hur ett ärende går från självskattning till revision, med bedömning mot processkraven PR1–PR7.",
            "The annual plan, the kinds of follow-up, the reuse rule and how a case moves from self-assessment to audit, assessed against the process requirements PR1–PR7.",
        ),
        "lessons": [
            (
                "Årsplanen",
                "The annual plan",
                "Planeraren föreslår årets uppföljningar utifrån risk, tidigare uppföljningar, kapacitet och kostnad. Styrgruppen godkänner planen och den godkända planen öppnar ärendena.\n\n"
                "**Återanvändning:** en uppföljning gjord av en annan organisation räknas om villkorsnivån är minst densamma, metoden likartad och uppföljningen är yngre än tre år.",
                "The planner proposes the year's follow-ups from risk, earlier follow-ups, capacity and cost. The steering group approves the plan and the approved plan opens the cases.\n\n"
                "**Reuse:** a follow-up made by another organisation counts if its clause level is at least the same, its method similar and it is less than three years old.",
            ),
            (
                "Ärendets gång",
                "How a case runs",
                "En uppföljning börjar oftast med en **självskattning**: leverantören svarar på en enkät i portalen och laddar upp underlag. Ledande region bedömer svaren mot vart och ett av processkraven PR1–PR7, från policy och ansvar (PR1) till gottgörelse (PR7).\n\n"
                "Räcker inte det trappas uppföljningen upp till **kontorsrevision** och vid behov **fabriksrevision** av en tredjepartsrevisor. Alla regioner med aktiva avtal med leverantören ser ärendet och resultatet.",
                "A follow-up usually starts with a **self-assessment**: the supplier answers a questionnaire in the portal and uploads evidence. The lead region assesses the answers against each of the process requirements PR1–PR7, from policy and responsibility (PR1) to remediation (PR7).\n\n"
                "If that is not enough, the follow-up escalates to an **office audit** and if needed a **factory audit** by a third-party auditor. Every region with an active contract with the supplier sees the case and its result.",
            ),
        ],
        "questions": [
            (
                S,
                "Vem godkänner årsplanen?",
                "Who approves the annual plan?",
                [
                    ("Styrgruppen", "The steering group", True),
                    ("Leverantören", "The supplier", False),
                    ("Revisorn", "The auditor", False),
                ],
            ),
            (
                M,
                "När räknas en annan organisations uppföljning?",
                "When does another organisation's follow-up count?",
                [
                    (
                        "Villkorsnivån är minst densamma",
                        "Its clause level is at least the same",
                        True,
                    ),
                    ("Metoden är likartad", "Its method is similar", True),
                    ("Den är yngre än tre år", "It is less than three years old", True),
                    ("Den gjordes i Sverige", "It was made in Sweden", False),
                ],
            ),
            (
                S,
                "Hur börjar en uppföljning oftast?",
                "How does a follow-up usually start?",
                [
                    ("Med en självskattning", "With a self-assessment", True),
                    ("Med en fabriksrevision", "With a factory audit", False),
                    ("Med en sanktion", "With a sanction", False),
                ],
            ),
            (
                S,
                "Vilka regioner ser ärendet?",
                "Which regions see the case?",
                [
                    (
                        "Alla regioner med aktiva avtal med leverantören",
                        "Every region with an active contract with the supplier",
                        True,
                    ),
                    ("Bara ledande region", "Only the lead region", False),
                    ("Ingen region", "No region", False),
                ],
            ),
        ],
    },
    {
        "key": "deviations-sanctions",
        "audiences": ["contract_manager", "area_coordinator", "region_contact", "auditor"],
        "areas": [],
        "title": (
            "Avvikelser, åtgärdsplaner och sanktioner",
            "Deviations, action plans and sanctions",
        ),
        "summary": (
            "Hur avvikelser registreras, vad en bra åtgärdsplan innehåller, leverantörens status och när sanktioner används.",
            "How deviations are recorded, what a good action plan holds, the supplier's status and when sanctions are used.",
        ),
        "lessons": [
            (
                "Avvikelse och åtgärdsplan",
                "Deviation and action plan",
                "En avvikelse är ett processkrav eller åtagande som inte uppfylls. Den har ett område, en allvarlighetsgrad och kan vara **nolltolerans** eller **konfidentiell**.\n\n"
                "Leverantören lämnar en **åtgärdsplan** med åtgärder, ansvarig, tidsgräns och vilket underlag som visar att åtgärden är gjord. Ledande region verifierar och släcker avvikelsen.",
                "A deviation is a process requirement or commitment that is not met. It has an area, a severity and may be **zero tolerance** or **confidential**.\n\n"
                "The supplier submits an **action plan** with actions, owner, deadline and the evidence that will show the action is done. The lead region verifies and closes the deviation.",
            ),
            (
                "Status och sanktioner",
                "Status and sanctions",
                "Leverantörens status är **grön** (inga avvikelser eller åtgärdade), **gul** (åtgärder pågår) eller **röd** (inte åtgärdat i tid eller inte tillräckligt).\n\n"
                "Vid röd status kan avtalets sanktioner användas: **vite** per påbörjad vecka upp till ett tak, **avropsstopp** och ytterst **hävning**. Sanktioner beslutas och dokumenteras i ärendet.",
                "The supplier's status is **green** (no deviations, or remedied), **yellow** (actions in progress) or **red** (not remedied in time or not enough).\n\n"
                "With red status the contract's sanctions may be used: a **penalty** per started week up to a cap, a **call-off stop** and ultimately **termination**. Sanctions are decided and recorded in the case.",
            ),
        ],
        "questions": [
            (
                S,
                "Vad betyder gul status?",
                "What does yellow status mean?",
                [
                    ("Åtgärder pågår", "Actions are in progress", True),
                    ("Inga avvikelser", "No deviations", False),
                    ("Avtalet är hävt", "The contract is terminated", False),
                ],
            ),
            (
                M,
                "Vad ska en åtgärdsplan innehålla?",
                "What must an action plan hold?",
                [
                    ("Åtgärder", "Actions", True),
                    ("Ansvarig och tidsgräns", "Owner and deadline", True),
                    (
                        "Underlag som visar att åtgärden är gjord",
                        "Evidence that shows the action is done",
                        True,
                    ),
                    ("Leverantörens prislista", "The supplier's price list", False),
                ],
            ),
            (
                M,
                "Vilka sanktioner finns i avtalet?",
                "Which sanctions does the contract hold?",
                [
                    ("Vite", "Penalty", True),
                    ("Avropsstopp", "Call-off stop", True),
                    ("Hävning", "Termination", True),
                    ("Böter till revisorn", "A fine paid to the auditor", False),
                ],
            ),
            (
                S,
                "Vem släcker en avvikelse?",
                "Who closes a deviation?",
                [
                    (
                        "Ledande region, efter verifiering",
                        "The lead region, after verification",
                        True,
                    ),
                    ("Leverantören själv", "The supplier itself", False),
                    (
                        "Ingen; avvikelser gäller för alltid",
                        "Nobody; deviations last for ever",
                        False,
                    ),
                ],
            ),
        ],
    },
    {
        "key": "supplier-portal",
        "audiences": ["supplier"],
        "areas": [],
        "title": ("Leverantörens ansvar och portalen", "What a supplier must do, and the portal"),
        "summary": (
            "Vad avtalsvillkorets processkrav PR1–PR7 kräver av leverantören – från policy och riskbedömning till klagomålsmekanism och gottgörelse – och hur portalen används för enkäter, underlag och åtgärdsplaner.",
            "What the process requirements PR1–PR7 of the contract clause require of the supplier – from policy and risk assessment to grievance mechanism and remediation – and how the portal is used for questionnaires, evidence and action plans.",
        ),
        "lessons": [
            (
                "Leverantörens åtagande",
                "The supplier's commitment",
                "Med avtalet har leverantören åtagit sig att arbeta med **tillbörlig aktsamhet** enligt processkraven PR1–PR7: ha en policy och en ansvarig (PR1), identifiera och bedöma risker i leveranskedjan (PR2), upphöra med, förebygga och begränsa negativ påverkan (PR3), använda sina påverkansmöjligheter hos underleverantörer (PR4), följa upp att kraven efterlevs (PR5), ha en klagomålsmekanism (PR6) och medverka till gottgörelse för de drabbade (PR7).\n\n"
                "Regionerna följer upp detta gemensamt. En uppföljning gäller alla regioner som leverantören har avtal med – ni svarar en gång, inte 21 gånger.",
                "With the contract the supplier has committed to **due diligence** under the process requirements PR1–PR7: have a policy and a person responsible (PR1), identify and assess risks in the supply chain (PR2), cease, prevent and mitigate adverse impact (PR3), use its leverage with sub-suppliers (PR4), follow up that the requirements are met (PR5), have a grievance mechanism (PR6) and take part in remediation for those harmed (PR7).\n\n"
                "The regions follow this up together. A follow-up covers every region the supplier has a contract with – you answer once, not 21 times.",
            ),
            (
                "Så fungerar portalen",
                "How the portal works",
                "I portalen ser ni era ärenden med tidsgränser. Där:\n\n"
                "- **svarar ni på självskattningen** och laddar upp underlag (PDF, bilder, kalkylark),\n"
                "- **lämnar ni åtgärdsplaner** och visar att åtgärderna är gjorda,\n"
                "- **rapporterar ni nolltoleransavvikelser** så snart ni upptäcker dem.\n\n"
                "Svara i tid: en missad tidsgräns kan leda till vite enligt avtalet.",
                "In the portal you see your cases with their deadlines. There you:\n\n"
                "- **answer the self-assessment** and upload evidence (PDF, images, spreadsheets),\n"
                "- **submit action plans** and show that the actions are done,\n"
                "- **report zero-tolerance deviations** as soon as you find them.\n\n"
                "Answer in time: a missed deadline may lead to a penalty under the contract.",
            ),
        ],
        "questions": [
            (
                S,
                "Hur många gånger svarar leverantören på en gemensam uppföljning?",
                "How many times does the supplier answer a joint follow-up?",
                [
                    ("En gång, för alla regioner", "Once, for all regions", True),
                    ("En gång per region", "Once per region", False),
                    ("Aldrig", "Never", False),
                ],
            ),
            (
                M,
                "Vad gör leverantören i portalen?",
                "What does the supplier do in the portal?",
                [
                    ("Svarar på självskattningen", "Answers the self-assessment", True),
                    ("Lämnar åtgärdsplaner", "Submits action plans", True),
                    (
                        "Rapporterar nolltoleransavvikelser",
                        "Reports zero-tolerance deviations",
                        True,
                    ),
                    ("Ändrar regionernas riskanalys", "Changes the regions' risk analysis", False),
                ],
            ),
            (
                S,
                "Vad kan en missad tidsgräns leda till?",
                "What may a missed deadline lead to?",
                [
                    ("Vite enligt avtalet", "A penalty under the contract", True),
                    ("Ingenting", "Nothing", False),
                    ("Ett nytt avtal", "A new contract", False),
                ],
            ),
            (
                S,
                "Vad innebär PR3 för leverantören?",
                "What does PR3 mean for the supplier?",
                [
                    (
                        "Att upphöra med negativ påverkan den orsakar eller bidrar till, och förebygga och begränsa riskerna",
                        "To cease adverse impact it causes or contributes to, and prevent and mitigate the risks",
                        True,
                    ),
                    ("Att kartlägga leverantörskedjan", "To map the supply chain", False),
                    ("Att sänka priserna", "To lower prices", False),
                    ("Att byta logistikföretag", "To change logistics company", False),
                ],
            ),
        ],
    },
]


FIRST_VERSION_NOTE = "Första versionen."
# Roles and the modules assigned to them, with the due date in days from today (negative: past).
ROLE_ASSIGNMENTS = [
    (Role.BUYER, "why-sustainable-procurement", -30),
    (Role.BUYER, "contract-clause", 60),
    (Role.REGION_CONTACT, "why-sustainable-procurement", -30),
    (Role.REGION_CONTACT, "risk-analysis", 45),
    (Role.AREA_COORDINATOR, "planning-follow-up", 30),
    (Role.AUDITOR, "deviations-sanctions", 30),
    (Role.SUPPLIER_CONTACT, "supplier-portal", 45),
]
# Who completes every assigned module (the auditor, a supplier) and who none (shown as open:
# the English supplier still sees the portal's offer).
ALWAYS_COMPLETE = {"revisor", "leverantor"}
# Extra people per region, so that participation has a spread: (buyers, region contacts).
EXTRA_PEOPLE = (2, 1)
FIRST_NAMES = ["Alva", "Björn", "Cecilia", "David", "Elin", "Fredrik", "Greta", "Hampus", "Ida"]
LAST_NAMES = ["Lind", "Sjöberg", "Wallin", "Forsberg", "Holm", "Engström", "Lundqvist", "Berg"]


def steps_png() -> bytes:
    """Return the demo lessons' picture, drawn here: four coloured steps joined by arrows."""
    from io import BytesIO

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 120), "white")
    draw = ImageDraw.Draw(image)
    for step, colour in enumerate(("#1f5f8b", "#2e7d32", "#b26a00", "#6a1b9a")):
        left = 10 + step * 120
        draw.rounded_rectangle((left, 30, left + 90, 90), radius=10, fill=colour)
        if step < 3:
            draw.polygon([(left + 96, 50), (left + 112, 60), (left + 96, 70)], fill="#444444")
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def written_order(options: list[OptionSpec], *, seed: str) -> list[OptionSpec]:
    """Return options in a shuffled (seeded, so repeatable) order: the specs list the right
    option first, and options written in that order would get the lowest ids."""
    shuffled = list(options)
    random.Random(seed).shuffle(shuffled)
    return shuffled


@transaction.atomic
def load_training_package(*, acting_user: User) -> list[Module]:
    """Create and publish the seven modules (those missing); return the published modules."""
    for order, spec in enumerate(MODULES, start=1):
        if Module.objects.filter(key=spec["key"]).exists():
            continue
        module = Module.objects.create(
            key=spec["key"],
            title_sv=spec["title"][0],
            title_en=spec["title"][1],
            summary_sv=spec["summary"][0],
            summary_en=spec["summary"][1],
            audiences=spec["audiences"],
            areas=spec["areas"],
            pass_mark=60,
            questions_per_attempt=3,
            retake_wait_minutes=1,
            order=order,
        )
        image_link = ""
        if any(IMAGE_LINK in lesson[2] + lesson[3] for lesson in spec["lessons"]):
            image = upload_image(
                module=module, name=IMAGE_NAME, data=steps_png(), acting_user=acting_user
            )
            image_link = reverse("training:image", args=[image.public_id])
        for position, (title_sv, title_en, body_sv, body_en) in enumerate(spec["lessons"], 1):
            body_sv = body_sv.replace(IMAGE_LINK, image_link)
            body_en = body_en.replace(IMAGE_LINK, image_link)
            Lesson.objects.create(
                module=module,
                position=position,
                title_sv=title_sv,
                title_en=title_en,
                body_sv=body_sv,
                body_en=body_en,
            )
        for number, (kind, text_sv, text_en, options) in enumerate(spec["questions"]):
            add_question(
                module=module,
                kind=kind,
                text_sv=text_sv,
                text_en=text_en,
                options=written_order(options, seed=f"{spec['key']}:{number}"),
                acting_user=acting_user,
            )
        publish_module(module=module, change_note=FIRST_VERSION_NOTE, acting_user=acting_user)
    return list(Module.objects.published())


def _extra_people() -> list[User]:
    """Create the extra demo people of every region (no password: they do not log in)."""
    rng = random.Random(13)
    people = []
    for region in Region.objects.select_related("organisation").order_by("county_code"):
        roles = [Role.BUYER] * EXTRA_PEOPLE[0] + [Role.REGION_CONTACT] * EXTRA_PEOPLE[1]
        for number, role in enumerate(roles, start=1):
            username = f"utb.{region.county_code}.{number}"
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": rng.choice(FIRST_NAMES),
                    "last_name": rng.choice(LAST_NAMES),
                    "email": f"{username}@demo.hallbar.invalid",
                    "password": make_password(None),
                },
            )
            if created:
                add_membership(
                    user=user, organisation=region.organisation, role=role, acting_user=None
                )
            people.append(user)
    return people


def _contract_contacts(today) -> None:
    """Make each demo buyer the contact (``created_by``) of up to three active contracts of
    their region in prioritised categories, so that the automatic assignments have contacts."""
    prioritised = prioritised_in(today.year)
    buyers = User.objects.filter(
        memberships__role=Role.BUYER, memberships__is_active=True, is_active=True
    ).distinct()
    for buyer in buyers.order_by("username"):
        regions = buyer.region_ids(Role.BUYER)
        contracts = list(
            Contract.objects.filter(
                status=Contract.Status.ACTIVE,
                category__in=prioritised,
                lead_region_id__in=regions,
                created_by__isnull=True,
            )
            .order_by("reference")
            .values_list("pk", flat=True)[:3]
        )
        Contract.objects.filter(pk__in=contracts).update(created_by=buyer)


def _complete(assignment: Assignment, module: Module, day) -> None:
    attempt = Attempt.objects.create(
        user=assignment.user,
        module=module,
        draw=[],
        answers={},
        submitted_at=timezone.make_aware(datetime.combine(day, time(10, 0))),
        score=100,
        passed=True,
    )
    issue_certificate(attempt)


@transaction.atomic
def load_demo_training() -> int:
    """Load the package, the role assignments, the extra people and a spread of completions;
    return the number of certificates made (0 when the demo's completions exist)."""
    today = demo_today()
    kansli = User.objects.filter(username="kansli").first()
    if kansli is None:
        raise RuntimeError("The demo user 'kansli' must exist: load the demo users first.")
    modules = {m.key: m for m in load_training_package(acting_user=kansli)}
    for role, key, days in ROLE_ASSIGNMENTS:
        RoleAssignment.objects.get_or_create(
            module_key=key,
            role=role,
            defaults={"due_date": today + timedelta(days=days), "created_by": kansli},
        )
    if Certificate.objects.exists():
        return 0
    _extra_people()
    _contract_contacts(today)
    sync_assignments(today=today)
    # Completion rates differ per region (from 20 to 90 %), as they do in a real rollout.
    rng = random.Random(2026)
    rates = {
        region.pk: 0.2 + 0.1 * (int(region.county_code) % 8) for region in Region.objects.all()
    }
    made = 0
    keep_open = {"upphandlare.jamtland", "upphandlare.stockholm", "leverantor.globex"}
    for assignment in Assignment.objects.select_related("user").order_by(
        "user__username", "module_key"
    ):
        if assignment.user.username in keep_open or assignment.module_key not in modules:
            continue
        regions = assignment.user.region_ids()
        rate = max((rates[r] for r in regions), default=0.5)
        if assignment.user.username in ALWAYS_COMPLETE:
            rate = 1.0
        if rng.random() < rate:
            _complete(
                assignment,
                modules[assignment.module_key],
                today - timedelta(days=rng.randint(1, 200)),
            )
            made += 1
    # Every region has begun: where chance left a region without a completion, its first
    # open assignment is completed.
    for region in Region.objects.order_by("county_code"):
        if Certificate.objects.filter(region=region).exists():
            continue
        first_open = (
            Assignment.objects.filter(
                user__memberships__organisation__region=region,
                user__memberships__is_active=True,
                module_key__in=modules,
            )
            .exclude(user__username__in=keep_open)
            .order_by("user__username", "module_key")
            .first()
        )
        if first_open:
            _complete(first_open, modules[first_open.module_key], today - timedelta(days=30))
            made += 1
    return made
