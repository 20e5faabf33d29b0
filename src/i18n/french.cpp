// The French sentences, in the vocabulary of docs/glossaire.md. A narrow no-break space
// (U+202F, written \u202f) goes before ':' ';' '!' '?' and inside guillemets, as French
// typography sets them.

#include <array>

#include "i18n/catalogue.hpp"

namespace tfx::i18n {

namespace {

constexpr auto kFrench = std::to_array<Entry>({
    {Msg::RoleClient, "client"},
    {Msg::RoleServer, "serveur"},
    {Msg::ClientToServer, "client > serveur"},
    {Msg::ServerToClient, "serveur > client"},
    {Msg::PhaseHandshake, "poignée de main"},
    {Msg::PhaseTeardown, "fermeture"},
    {Msg::OfferLead, "\u202f; il propose "},
    {Msg::OfferMss, "MSS {mss}"},
    {Msg::OfferWindowScale, "facteur d'échelle de fenêtre {shift}"},
    {Msg::OfferSack, "SACK"},
    {Msg::OfferTimestamps, "horodatages"},
    {Msg::OfferFastOpen, "un cookie TCP Fast Open"},
    {Msg::ByteOne, "l'octet {first}"},
    {Msg::ByteRange, "les octets {first} à {last}"},
    {Msg::Untagged, "sans étiquette"},
    {Msg::Vlan, "VLAN {id}"},
    {Msg::VlanInVlan, "VLAN {inner} dans {outer}"},
    {Msg::SackDsackSyn, "\u202f: il a reçu deux fois le SYN du {other} (numéro de séquence {seq}) (D-SACK, RFC 2883)"},
    {Msg::SackDsackBytes,
     "\u202f: il a reçu deux fois {range} du {other} (D-SACK, RFC 2883\u202f: une retransmission dont il n'avait pas "
     "besoin)"},
    {Msg::SackHolds, "\u202f: il détient déjà {held} du {other}, mais il lui manque encore {missing}"},
    {Msg::SackAlsoHolds, "\u202f; il détient aussi {held} du {other}, mais il lui manque encore {missing}"},
    {Msg::FinTakes, "\u202f; le FIN occupe le numéro de séquence {fin}, son accusé de réception sera donc {ack}"},
    {Msg::FinWithData,
     "\u202f: ses dernières données, {count} {count|octet|octets} ({range}), partent avec le FIN, qui occupe le numéro "
     "de séquence {fin} (son accusé de réception sera {ack})"},
    {Msg::FinAck, " (ack {ack}\u202f: le FIN occupait le numéro de séquence {fin})"},
    {Msg::UnknownScale,
     " Le facteur d'échelle de fenêtre a été fixé dans des SYN que la capture n'a pas vus\u202f: la fenêtre réelle "
     "vaut {raw} fois 2^shift, décalage inconnu."},
    {Msg::Undecodable, "Cette trame n'a pas pu être décodée comme du TCP\u202f; elle est laissée hors de l'analyse."},
    {Msg::ConnectionRequest,
     "Le client demande l'ouverture d'une connexion (SYN) et choisit son numéro de séquence initial"},
    {Msg::SynTakesOne, ". Le SYN occupe un numéro de séquence ({seq})\u202f: ses données commenceront donc à {next}"},
    {Msg::SynCarries, ", et il transporte déjà {count} {count|octet|octets}"},
    {Msg::SynAgain, "Le {me} renvoie son SYN\u202f: aucune réponse n'est encore arrivée."},
    {Msg::SimultaneousSyn,
     "Le {me} envoie son propre SYN alors que celui du {other} est encore en route\u202f: c'est une ouverture "
     "simultanée"},
    {Msg::ConnectionAccepted,
     "Le TCP du {me} répond par un SYN-ACK (c'est son noyau qui répond, avant l'accept() de l'application et sans "
     "l'attendre)\u202f: il accuse réception du SYN du {other} avec ack {ack} (le SYN occupait le numéro de séquence "
     "{syn}) et choisit à son tour son numéro de séquence initial"},
    {Msg::SimultaneousSynAck,
     "Le {me} accuse réception du SYN du {other} et répète le sien (SYN-ACK d'une ouverture simultanée)."},
    {Msg::HandshakeCompleteWithData,
     "Le {me} accuse réception du SYN du {other}, ce qui achève la poignée de main en trois temps, et envoie déjà "
     "{count} {count|octet|octets} de données."},
    {Msg::HandshakeComplete,
     "Le {me} accuse réception du SYN du {other}\u202f: la poignée de main en trois temps est terminée."},
    {Msg::WindowScalingStarts,
     " La mise à l'échelle de la fenêtre commence ici\u202f: win {win} est la valeur du champ, {raw}, multipliée par "
     "2^{shift} (la fenêtre des SYN n'est jamais mise à l'échelle)."},
    {Msg::DataResent, "Le {me} renvoie {count} {count|octet|octets} ("},
    {Msg::ResentSpurious, "), alors que le {other} en avait déjà accusé réception"},
    {Msg::ResentOf, ")\u202f: une retransmission de #{frame}"},
    {Msg::ResentOriginalMissing, ")\u202f: une retransmission\u202f; l'original n'a pas été capturé"},
    {Msg::DataSent, "Le {me} envoie {count} {count|octet|octets} de données ("},
    {Msg::DataNext, "\u202f; le suivant est le {next})"},
    {Msg::DataPush, ", avec PSH\u202f: à remettre tout de suite à l'application"},
    {Msg::DataNoAck,
     "Le {me} envoie {count} {count|octet|octets} sans le bit ACK, que les connexions établies positionnent toujours."},
    {Msg::AckBytes,
     "Le {me} accuse réception des octets du {other} jusqu'au {last} (ack {ack}\u202f: le prochain octet qu'il "
     "attend)"},
    {Msg::AckNothingNew, "Le {me} répète son accusé de réception (ack {ack})\u202f: il n'acquitte rien de nouveau"},
    {Msg::CloseRequest, "Le {me} n'a plus de données à envoyer et commence à fermer son côté (FIN)"},
    {Msg::AcksFin, "Le {me} accuse réception du FIN du {other}"},
    {Msg::ClosesOwnSideToo, " et ferme à son tour son côté (FIN)"},
    {Msg::ClosesSideAsWell, "Le {me} ferme maintenant son côté, lui aussi (FIN)"},
    {Msg::SimultaneousClose,
     "Le {me} envoie son propre FIN avant d'avoir reçu celui du {other}\u202f: c'est une fermeture simultanée."},
    {Msg::HalfCloseMaySend,
     "\u202f; il peut encore envoyer des données jusqu'à ce qu'il envoie son propre FIN (demi-fermeture)."},
    {Msg::FinsCrossed,
     "Le {me} accuse réception du FIN du {other}\u202f; les FIN se sont croisés, il attend donc encore l'accusé de "
     "réception de son propre FIN (CLOSING)."},
    {Msg::FinsCrossedLate,
     " L'ACK du {other} pour le FIN du {me} (#{frame}) est passé ici avant, mais n'a atteint le {me} qu'après l'envoi "
     "de celui-ci, puis l'a fait passer en TIME-WAIT\u202f: "},
    {Msg::FinsCrossedByTimestamp, "ce segment renvoie l'horodatage {echo}, plus ancien que celui de #{frame}."},
    {Msg::FinsCrossedByOrder,
     "le FIN du {other} est passé avant lui, et les segments d'un même côté arrivent dans l'ordre où ils ont été "
     "envoyés."},
    {Msg::ClosedTimeWait,
     "\u202f: la connexion est fermée. Le {me} attend en TIME-WAIT pendant 2 MSL (Linux\u202f: 60 s), pour accuser "
     "réception du FIN une nouvelle fois si cet ACK se perd, et pour qu'aucun vieux segment de cette connexion ne soit "
     "pris pour un segment d'une nouvelle connexion sur les mêmes ports."},
    {Msg::Refused,
     "Le {me} refuse la connexion (RST)\u202f: rien n'écoute sur le port {port}, le port est donc CLOSED et son TCP "
     "répond au SYN par une réinitialisation (RFC 9293 §3.10.7.1)."},
    {Msg::FinAgain, "Le {me} renvoie son FIN\u202f: le {other} n'en a pas encore accusé réception."},
    {Msg::FinCopyAcks, " Cette copie accuse aussi réception du FIN du {other}."},
    {Msg::Probe,
     "Le {me} envoie une sonde de scan ({kind}) vers le port {port}\u202f: un segment sans SYN ni ACK n'ouvre ni ne "
     "poursuit aucune connexion\u202f; un port fermé y répond par un RST, un port en écoute l'ignore (RFC 9293 "
     "§3.10.7)."},
    {Msg::ProbeNull, "null scan, aucun drapeau"},
    {Msg::ProbeXmas, "Xmas scan, FIN-PSH-URG"},
    {Msg::ProbeFin, "FIN scan"},
    {Msg::ProbeNoAck, "sans bit ACK"},
    {Msg::ProbeResetAckScan,
     "Le TCP du {me} répond à cet ACK isolé par un RST dont le numéro de séquence est le numéro d'accusé de réception "
     "de l'ACK, la réponse que la RFC 9293 §3.10.7.1-2 prévoit pour un ACK qui n'atteint aucune connexion\u202f: il "
     "n'y en avait pas, l'ACK était donc une sonde (un scan ACK) et non la suite d'une connexion antérieure. Cette "
     "réponse montre qu'aucun pare-feu n'a arrêté la sonde, mais pas si le port {port} écoute\u202f: un socket en "
     "écoute répond de la même façon à un ACK."},
    {Msg::ProbeResetClosed,
     "Le TCP du {me} répond à la sonde par un RST\u202f: aucune connexion n'existe et rien n'écoute sur le port "
     "{port}, le port est donc CLOSED (RFC 9293 §3.10.7.1)."},
    {Msg::NoAck,
     "Le {me} envoie un segment sans le bit ACK\u202f: il n'accuse réception de rien, alors que les connexions "
     "synchronisées positionnent toujours ACK."},
    {Msg::Reset, "Le {me} interrompt la connexion (RST)\u202f: les données en transit sont perdues."},
    {Msg::ResetAfterClose,
     "Le {me} réinitialise la connexion alors que la fermeture avait commencé (RST), par exemple à cause de données "
     "non lues ou de SO_LINGER 0."},
    {Msg::MidStream, "La connexion était déjà ouverte au début de la capture\u202f; le {me} la poursuit."},
    {Msg::DuplicateAck, "Le {me} accuse de nouveau réception jusqu'à {ack} (un ACK dupliqué)"},
    {Msg::DuplicateAckGap,
     "\u202f: un autre segment que le suivant est arrivé, et l'octet {ack} manque toujours (perdu, ou doublé par des "
     "segments suivants)"},
    {Msg::RepeatsAckNewSack, "Le {me} répète son ACK ({ack}) avec de nouveaux blocs SACK"},
    {Msg::WindowUpdate, "Le {me} annonce seulement une nouvelle fenêtre de réception ({win}"},
    {Msg::WindowTimesUnknown, " fois un 2^shift inconnu"},
    {Msg::WindowUpdateEnd, ")\u202f: de la place s'est libérée dans son tampon de réception."},
    {Msg::KeepAlive,
     "Le {me} vérifie que la connexion inactive est toujours vivante (keep-alive)\u202f: un segment juste en dessous "
     "de ce qu'il a déjà envoyé, qui oblige le {other} à répondre."},
    {Msg::KeepAliveAck, "Le {me} répond au keep-alive\u202f: il est toujours là."},
    {Msg::ZeroWindowProbe,
     "Le {me} sonde la fenêtre de réception fermée du {other}, pour que la réponse lui dise quand elle se rouvre "
     "(sonde de fenêtre nulle)."},
    {Msg::ZeroWindowProbeAckClosed,
     "Le {me} répond à la sonde\u202f: sa fenêtre de réception est toujours fermée (0)."},
    {Msg::ZeroWindowProbeAckSmall, "Le {me} répond à la sonde\u202f: sa fenêtre de réception est toujours petite."},
    {Msg::OfFrame, " de #{frame}"},
    {Msg::Retransmission, "retransmission"},
    {Msg::Earlier, ", {delay} plus tôt"},
    {Msg::ResentBytes, "\u202f: ces octets avaient déjà été envoyés"},
    {Msg::ResentSynAck, "\u202f: ce SYN-ACK avait déjà été envoyé"},
    {Msg::ResentSyn, "\u202f: ce SYN avait déjà été envoyé"},
    {Msg::ResentFin, "\u202f: ce FIN avait déjà été envoyé"},
    {Msg::ResentSegment, "\u202f: ce segment avait déjà été envoyé"},
    {Msg::FastRetransmission, "retransmission rapide"},
    {Msg::FastAfterDupAcks, "\u202f: renvoyé après {count} ACK dupliqués qui demandaient seq {seq}"},
    {Msg::FastBySack,
     "\u202f: renvoyé sans attendre l'expiration du temporisateur, parce que les ACK et les blocs SACK du récepteur "
     "montraient que seq {seq} manquait"},
    {Msg::SpuriousRetransmission, "retransmission inutile"},
    {Msg::SpuriousAllAcked, "\u202f: le récepteur avait déjà accusé réception de tous les octets en dessous de {seq}"},
    {Msg::OutOfOrderFills,
     "hors séquence\u202f: seq {seq} a été envoyé avant les numéros de séquence plus élevés arrivés en premier\u202f; "
     "il comble le trou signalé en #{frame} (un réordonnancement, pas une perte)"},
    {Msg::OutOfOrderLate,
     "hors séquence\u202f: seq {seq} arrive après des numéros de séquence plus élevés (le prochain attendu était "
     "{expected})"},
    {Msg::LostSegment, "segment précédent non capturé\u202f: seq {expected} attendu, {got} reçu"},
    {Msg::AckedUnseenBelow,
     "accusé de réception d'un segment non vu\u202f: acquitte {ack}, mais la capture n'a vu de données qu'en dessous "
     "de {seen}"},
    {Msg::AckedUnseenGap,
     "accusé de réception d'un segment non vu\u202f: acquitte {ack}, mais des octets en dessous n'ont jamais été "
     "capturés"},
    {Msg::DuplicateAckNumber, "ACK dupliqué #{n}"},
    {Msg::StillWaitsFor, "\u202f: le récepteur attend toujours seq {seq}"},
    {Msg::ZeroWindow,
     "fenêtre nulle\u202f: le tampon de réception du {me} est plein\u202f; l'autre côté ne peut plus envoyer que des "
     "sondes de fenêtre, jusqu'à ce qu'elle se rouvre"},
    {Msg::ZeroWindowProbeFinding, "sonde de fenêtre nulle\u202f: l'émetteur vérifie si la fenêtre s'est rouverte"},
    {Msg::ZeroWindowProbeAckFinding, "ACK d'une sonde de fenêtre nulle\u202f: la fenêtre est toujours fermée"},
    {Msg::WindowUpdateFinding, "mise à jour de la fenêtre\u202f: la fenêtre de réception s'est agrandie"},
    {Msg::WindowFromTo, " de {from} à {to}"},
    {Msg::WithoutNewDataOrAck, ", sans nouvelles données ni nouvel accusé de réception"},
    {Msg::WindowFull, "fenêtre pleine\u202f: ce segment remplit la fenêtre annoncée par le récepteur"},
    {Msg::KeepAliveFinding, "keep-alive\u202f: une connexion inactive vérifie que l'autre côté est toujours là"},
    {Msg::KeepAliveAckFinding, "ACK de keep-alive\u202f: l'autre côté est toujours là"},
    {Msg::ReusedPorts,
     "ports réutilisés\u202f: une nouvelle connexion sur le quadruplet d'une précédente (dernière trame #{frame})"},
    {Msg::SynRetransmission, "retransmission du SYN"},
    {Msg::IllegalTransition, "transition illégale {from} -> {to} (absente du diagramme d'états de la RFC 9293)"},
    {Msg::SnaplenTruncated, "snaplen\u202f: les {count} derniers octets de ce segment n'ont pas été capturés"},
    {Msg::OptionsCut, " (ses options TCP sont coupées\u202f; ce qui a été capturé est affiché)"},
    {Msg::MalformedPrefix, "malformé\u202f: "},
    {Msg::BadTcpHeaderLen, "champ data offset TCP invalide ({len} octets)"},
    {Msg::BadTcpOptionLen, "option malformée\u202f: type {kind} de longueur {len}"},
    {Msg::BadIpHeaderLen, "longueur d'en-tête IP invalide ({len} octets)"},
    {Msg::BadIpTotalLen, "longueur IP {len}, mais {available} octets disponibles"},
    {Msg::IpFragment,
     "fragment IP au décalage {offset}\u202f: une partie d'un datagramme, analysé à la trame qui le complète"},
    {Msg::TimestampBackwards, "l'horodatage recule de {delay} par rapport à la trame précédente"},
    {Msg::WindowScaleOutOfRange,
     "facteur d'échelle de fenêtre {shift} supérieur à 14 (RFC 7323)\u202f; 14 est utilisé"},
    {Msg::RstWithData, "le RST transporte {count} {count|octet|octets} de données"},
    {Msg::DataOnSyn, "le SYN transporte {count} {count|octet|octets} de données"},
    {Msg::MidStreamStart,
     "en cours de connexion\u202f: la connexion était ouverte avant le début de la capture\u202f; les numéros de "
     "séquence sont comptés à partir d'ici"},
    {Msg::RoleGuessed,
     "rôles devinés\u202f: aucun SYN n'a été capturé, et le port {port} ressemble à celui du serveur"},
    {Msg::SynAckWithoutSyn, "SYN-ACK sans SYN capturé\u202f: la capture a commencé juste après le SYN"},
    {Msg::SimultaneousOpen, "ouverture simultanée\u202f: les deux côtés ont envoyé un SYN"},
    {Msg::RefusalContradicted,
     "refus contredit\u202f: ce SYN-ACK répond au SYN que le RST de #{frame} a refusé, or un TCP qui refuse un SYN "
     "n'en garde rien (RFC 9293 §3.10.7.1)\u202f; les deux ne viennent donc pas tous deux du TCP du serveur\u202f: "
     "l'un a été forgé ou réécrit en chemin (injection de RST). L'analyse met de côté #{frame} et ce qui l'a suivi, et "
     "repart du SYN du client"},
    {Msg::SentBeforeByTimestamp,
     "envoyé avant que #{frame} n'atteigne ce côté\u202f: son écho d'horodatage ({echo}) est plus ancien que celui de "
     "ce segment"},
    {Msg::SentBeforeByOrder,
     "envoyé avant que #{frame} n'atteigne ce côté\u202f: les segments de l'autre côté arrivent dans l'ordre où ils "
     "sont passés ici"},
    {Msg::DataAfterFin, "données après le FIN de ce côté\u202f: un FIN met fin pour de bon aux données d'un côté"},
    {Msg::DataAfterReset, "données après un RST\u202f: la connexion n'existe plus"},
    {Msg::SegmentAfterReset, "segment après un RST\u202f: la connexion n'existe plus"},
    {Msg::AllFlagsSet,
     "tous les drapeaux positionnés («\u202fsapin de Noël\u202f»)\u202f: aucune vraie pile TCP n'envoie cela\u202f; "
     "c'est un scan ou un fuzzer"},
    {Msg::NoFlags, "aucun drapeau positionné («\u202fnull scan\u202f»)\u202f: aucune vraie pile TCP n'envoie cela"},
    {Msg::SynWithFin, "SYN et FIN ensemble\u202f: invalide, typique des scans"},
    {Msg::DuplicateFrame, "trame en double"},
    {Msg::DuplicateFrameWhy,
     "\u202f: le même paquet capturé deux fois (même identifiant IP, même seq), pas une retransmission"},
    {Msg::SegmentExceedsMss,
     "plus grand que la MSS de l'autre côté ({size} > {mss} octets)\u202f: segmentation déléguée à la carte réseau "
     "(TSO/GSO) ou regroupement à la réception (GRO) sur la machine qui capture\u202f; sur le fil, c'étaient "
     "{segments} segments, pas un événement du réseau"},
    {Msg::CaptureDrop,
     "perte à la capture\u202f: le {me} accuse réception de {count} {count|octet|octets} du {other}, à partir de seq "
     "{seq}, que cette capture n'a jamais {count|vu|vus}"},
    {Msg::CaptureDropGap, " (le trou signalé en #{frame})"},
    {Msg::CaptureDropWhy,
     "\u202f: ils sont bien arrivés, c'est donc le point de capture qui les a perdus, pas le réseau"},
    {Msg::IpLengthZero, "longueur totale IP nulle (TSO/BIG TCP)\u202f: la longueur a été prise dans la trame"},
    {Msg::TruncatedFrame, "la trame s'arrête au milieu d'un en-tête"},
    {Msg::CaplenExceedsWirelen, "l'enregistrement de capture annonce plus d'octets qu'il n'y en avait sur le fil"},
    {Msg::BadIpv6ExtHeader, "chaîne d'en-têtes d'extension IPv6 invalide"},
    {Msg::BadIpVersion, "la version IP n'est ni 4 ni 6"},
    {Msg::UnsupportedLinkHeader, "type de contenu de la couche liaison non décodé"},
    {Msg::IpReassembled, "datagramme IP réassemblé à partir de {count} fragments"},
    {Msg::IpReassembledAmbiguous,
     "\u202f; {count} octets qui se chevauchaient différaient\u202f: c'est ambigu (un récepteur a pu garder l'une ou "
     "l'autre copie\u202f; Linux rejette un tel datagramme), il est donc laissé hors de l'analyse"},
    {Msg::AnalysisLimit, "limite de l'analyse atteinte\u202f: une partie du suivi de cette connexion s'est arrêtée"},
    {Msg::IdleResumes, "la connexion reprend après {delay}"},
    {Msg::IdleResumesEnd,
     " de silence (sa dernière trame était #{frame})\u202f: les numéros de séquence reprennent là où ils s'étaient "
     "arrêtés, c'est donc la même connexion, pas une nouvelle"},
    {Msg::VlanDiffers,
     "l'étiquetage VLAN de ce sens ({mine}) diffère de celui de l'autre sens ({theirs}), comme le produit un port SPAN "
     "qui n'étiquette qu'un côté\u202f; son ACK acquitte exactement ce que l'autre côté a envoyé, c'est donc la même "
     "connexion"},
    {Msg::SummaryHandshakeComplete, "poignée de main terminée"},
    {Msg::SummaryHandshakeRtt, " (RTT {rtt}\u202f: {syn_synack} du SYN au SYN-ACK, {synack_ack} du SYN-ACK à l'ACK)"},
    {Msg::SummarySimultaneousOpen, "ouverture simultanée réussie"},
    {Msg::SummaryRefused, "connexion refusée (un RST en réponse au SYN)"},
    {Msg::SummaryUnanswered, "SYN sans réponse"},
    {Msg::SummaryNoFinalAck, "poignée de main incomplète (pas d'ACK du SYN-ACK)"},
    {Msg::SummaryNotSeen, "poignée de main non capturée (la capture a commencé en cours de connexion)"},
    {Msg::SummaryProbe, "sonde de scan, pas une connexion (aucun SYN n'a été envoyé)"},
    {Msg::ClosedGracefully, "\u202f; fermeture normale, le {by} en premier"},
    {Msg::SummarySimultaneousClose, "\u202f; fermeture simultanée"},
    {Msg::HalfClosedBy, "\u202f; demi-fermeture par le {by} (aucun FIN de l'autre côté)"},
    {Msg::ClosingIncomplete, "\u202f; les deux côtés ont envoyé un FIN, mais il manque un ACK final"},
    {Msg::ResetBy, "\u202f; réinitialisée par le {by}"},
    {Msg::ResetByPeerToo, ", puis par le {by} aussi"},
    {Msg::StillOpen, "\u202f; encore ouverte à la fin de la capture"},
    {Msg::DataAfterClose, "\u202f; des données ont circulé après un FIN (demi-fermeture)"},
    {Msg::CapturedOnHost, "\u202f; capturée sur la machine elle-même (les deux extrémités sont cette machine)"},
    {Msg::CapturedNearClient, "\u202f; capturée près du client"},
    {Msg::CapturedNearServer, "\u202f; capturée près du serveur"},
    {Msg::CapturedBetween, "\u202f; capturée entre les deux machines"},
    {Msg::FirstResponseByte, "\u202f; premier octet de la réponse {delay} après le premier octet de la requête"},
    {Msg::Exchanges,
     "\u202f; {count} {count|échange|échanges} requête/réponse, temps de réflexion du serveur de {avg} en moyenne (max "
     "{max})"},
    {Msg::AckRttLead,
     "\u202f; RTT des ACK (d'un segment à l'ACK qui l'acquitte, tels que capturés, SYN et FIN compris)\u202f: "},
    {Msg::AckRttSide, "segments du {side} min {min}, moy. {avg}, max {max} sur {samples} {samples|mesure|mesures}"},
    {Msg::Stalls, "\u202f; {count} {count|blocage|blocages} ("},
    {Msg::StallSide, "{time} avec des données du {side} en attente"},
    {Msg::SequenceGaps,
     "\u202f; {count} {count|trou|trous} dans les numéros de séquence (lost_segment\u202f: un segment plus loin vu "
     "d'abord)\u202f: {reordering} {reordering|comblé|comblés} par un réordonnancement (pas une perte), {resend} par "
     "une retransmission, {unfilled} jamais {unfilled|comblé|comblés} dans la capture"},
    {Msg::Reordered,
     "\u202f; {count} {count|segment réordonné|segments réordonnés} dans le réseau (pas {count|perdu|perdus})"},
    {Msg::CaptureDropsSummary,
     "\u202f; {count} {count|octet acquitté|octets acquittés} que la capture n'a jamais {count|vu|vus} (pertes à la "
     "capture, pas dans le réseau)"},
    {Msg::Packets, "\u202f; {total} {total|paquet|paquets} ({client} du client, {server} du serveur)"},
    {Msg::BytesClientToServer, ", {count} {count|octet|octets} du client vers le serveur"},
    {Msg::BytesServerToClient, ", {count} {count|octet|octets} du serveur vers le client"},
    {Msg::PayloadWithRetransmissions, " ({count} octets de données capturés, retransmissions comprises)"},
    {Msg::SummaryDuration, "\u202f; durée {duration}"},
    {Msg::ConnectionHeader, "Connexion {id}\u202f: client {client} -> serveur {server}"},
    {Msg::RolesInferred, " (rôles déduits\u202f: la capture a manqué le premier SYN)"},
    {Msg::StateLabel, "états\u202f: "},
    {Msg::ConnectionSummaryLabel, "Bilan de la connexion {id}\u202f:"},
    {Msg::FindingsLabel, "  constats\u202f: "},
    {Msg::SequenceGapNote, " ({count|trou|trous} de séquence, {count|détaillé|détaillés} plus haut)"},
    {Msg::FinalStates,
     "  états finaux\u202f: client {client}, serveur {server}\u202f; Zeek conn_state {conn_state} history {history}"},
    {Msg::CaptureLabel, "Capture\u202f:"},
    {Msg::CaptureCounts,
     " {frames} {frames|trame|trames}, {segments} {segments|segment|segments} TCP dans {connections} "
     "{connections|connexion|connexions}"},
    {Msg::CaptureSkipped,
     "\u202f; trames ignorées\u202f: {non_tcp} IP non TCP, {non_ip} non IP\u202f; {malformed} "
     "{malformed|malformée|malformées}, {fragments} {fragments|fragment|fragments} IP."},
    {Msg::TallyLabel, "Constats\u202f:"},
    {Msg::TallyNone, " aucun."},
    {Msg::TallyFinding, "constat"},
    {Msg::TallyCount, "nombre"},
    {Msg::TallyConnections, "connexions"},
    {Msg::TallyMore, " et {count} de plus"},
    {Msg::DiagnosisLabel, "  diagnostic\u202f: "},
    {Msg::DiagnosisSeparator, "\u202f; "},
    {Msg::DiagReceiverLimited, "limité par le récepteur\u202f: "},
    {Msg::DiagZeroWindow,
     "le {side} a annoncé une fenêtre nulle {times}, son application ne lisait plus pendant {duration} ({spells} "
     "{spells|épisode|épisodes})"},
    {Msg::DiagOnce, "une fois"},
    {Msg::DiagTwice, "deux fois"},
    {Msg::DiagTimes, "{count} fois"},
    {Msg::DiagThinkTimeOne,
     "temps de réflexion du serveur de {duration} entre la fin d'une requête et le premier octet de la réponse "
     "({exchanges} {exchanges|échange|échanges})"},
    {Msg::DiagThinkTimeMany,
     "temps de réflexion du serveur jusqu'à {max} ({total} au total) entre la fin d'une requête et le premier "
     "octet de la réponse ({exchanges} {exchanges|échange|échanges})"},
    {Msg::DiagRecovery,
     "reprise après perte\u202f: {segments} {segments|segment retransmis|segments retransmis} ({fast} en "
     "retransmission rapide, {timeout} après expiration du délai, {spurious} {spurious|inutile|inutiles})"},
    {Msg::DiagRecoveryTime, ", {duration} en reprise ({recoveries} {recoveries|reprise|reprises})"},
    {Msg::DiagReordering,
     "{count} {count|segment réordonné|segments réordonnés} par le réseau, pas {count|perdu|perdus}"},
    {Msg::DiagCaptureLead, "artefacts de la capture, pas du réseau\u202f:"},
    {Msg::DiagCaptureAckedUnseen,
     "{count} {count|ACK d'un segment que la capture n'a jamais vu|ACK de segments que la capture n'a jamais vus}"},
    {Msg::DiagCaptureDropped,
     "{count} {count|octet acquitté mais jamais capturé|octets acquittés mais jamais capturés}"},
    {Msg::DiagCaptureGaps, "{count} {count|trou de séquence jamais comblé|trous de séquence jamais comblés}"},
    {Msg::DiagCaptureSnaplen, "{count} {count|segment coupé par le snaplen|segments coupés par le snaplen}"},
    {Msg::DiagCaptureOffload,
     "{count} {count|segment plus grand que la MSS (déchargement TSO/GRO sur l'hôte de capture)|segments plus "
     "grands que la MSS (déchargement TSO/GRO sur l'hôte de capture)}"},
    {Msg::DiagNoProblem, "aucun problème constaté"},
    {Msg::DiagRttUnknown, "RTT du réseau inconnu"},
    {Msg::DiagRttHandshake, "RTT du réseau {duration} (poignée de main)"},
    {Msg::DiagRttAck, "RTT du réseau {duration} (plus petit RTT d'un ACK)"},
    {Msg::VerboseIpv4, "IPv4 ttl {ttl}, id {id}"},
    {Msg::VerboseIpv6, "IPv6 limite de sauts {hop_limit}"},
    {Msg::VerboseLengths, "\u202f; {wire} {wire|octet|octets} sur le fil, {captured} {captured|capturé|capturés}"},
    {Msg::VerboseWindowScaled, "\u202f; champ fenêtre {raw}, soit {window} après mise à l'échelle"},
    {Msg::VerboseWindowUnscaled, "\u202f; champ fenêtre {raw}, sans mise à l'échelle"},
    {Msg::VerboseWindowUnknownScale, "\u202f; champ fenêtre {raw}, facteur d'échelle inconnu"},
    {Msg::VerboseUrgent, "\u202f; pointeur d'urgence {pointer}"},
});

}  // namespace

std::span<const Entry> french_table() { return kFrench; }

}  // namespace tfx::i18n
