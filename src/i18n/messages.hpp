#pragma once
// The identifiers of the catalogue's messages and the names of their parameters, in the
// order callers pass them. Every language translates every identifier with exactly these
// names (tests/unit/catalogue_test.cpp checks it).

#include <cstddef>
#include <cstdint>

namespace tfx::i18n {

// clang-format off
#define TFX_MESSAGES(X) \
    /* words */ \
    X(RoleClient, "") \
    X(RoleServer, "") \
    X(ClientToServer, "") \
    X(ServerToClient, "") \
    X(PhaseHandshake, "") \
    X(PhaseTeardown, "") \
    /* pieces of the segment sentences */ \
    X(OfferLead, "") \
    X(OfferMss, "mss") \
    X(OfferWindowScale, "shift") \
    X(OfferSack, "") \
    X(OfferTimestamps, "") \
    X(OfferFastOpen, "") \
    X(ByteOne, "first") \
    X(ByteRange, "first last") \
    X(Untagged, "") \
    X(Vlan, "id") \
    X(VlanInVlan, "inner outer") \
    X(SackDsackSyn, "other seq") \
    X(SackDsackBytes, "other range") \
    X(SackHolds, "other held missing") \
    X(SackAlsoHolds, "other held missing") \
    X(FinTakes, "fin ack") \
    X(FinWithData, "count range fin ack") \
    X(FinAck, "ack fin") \
    X(UnknownScale, "raw") \
    /* segment sentences */ \
    X(Undecodable, "") \
    X(ConnectionRequest, "") \
    X(SynTakesOne, "seq next") \
    X(SynCarries, "count") \
    X(SynAgain, "me") \
    X(SimultaneousSyn, "me other") \
    X(ConnectionAccepted, "me other ack syn") \
    X(SimultaneousSynAck, "me other") \
    X(HandshakeCompleteWithData, "me other count") \
    X(HandshakeComplete, "me other") \
    X(WindowScalingStarts, "win raw shift") \
    X(DataResent, "me count") \
    X(ResentSpurious, "other") \
    X(ResentOf, "frame") \
    X(ResentOriginalMissing, "") \
    X(DataSent, "me count") \
    X(DataNext, "next") \
    X(DataPush, "") \
    X(DataNoAck, "me count") \
    X(AckBytes, "me other last ack") \
    X(AckNothingNew, "me ack") \
    X(CloseRequest, "me") \
    X(AcksFin, "me other") \
    X(ClosesOwnSideToo, "") \
    X(ClosesSideAsWell, "me") \
    X(SimultaneousClose, "me other") \
    X(HalfCloseMaySend, "") \
    X(FinsCrossed, "me other") \
    X(FinsCrossedLate, "me other frame") \
    X(FinsCrossedByTimestamp, "echo frame") \
    X(FinsCrossedByOrder, "other") \
    X(ClosedTimeWait, "me") \
    X(Refused, "me port") \
    X(FinAgain, "me other") \
    X(FinCopyAcks, "other") \
    X(Probe, "me kind port") \
    X(ProbeNull, "") \
    X(ProbeXmas, "") \
    X(ProbeFin, "") \
    X(ProbeNoAck, "") \
    X(ProbeResetAckScan, "me port") \
    X(ProbeResetClosed, "me port") \
    X(NoAck, "me") \
    X(Reset, "me") \
    X(ResetAfterClose, "me") \
    X(MidStream, "me") \
    X(DuplicateAck, "me ack") \
    X(DuplicateAckGap, "ack") \
    X(RepeatsAckNewSack, "me ack") \
    X(WindowUpdate, "me win") \
    X(WindowTimesUnknown, "") \
    X(WindowUpdateEnd, "") \
    X(KeepAlive, "me other") \
    X(KeepAliveAck, "me") \
    X(ZeroWindowProbe, "me other") \
    X(ZeroWindowProbeAckClosed, "me") \
    X(ZeroWindowProbeAckSmall, "me") \
    /* findings */ \
    X(OfFrame, "frame") \
    X(Retransmission, "") \
    X(Earlier, "delay") \
    X(ResentBytes, "") \
    X(ResentSynAck, "") \
    X(ResentSyn, "") \
    X(ResentFin, "") \
    X(ResentSegment, "") \
    X(FastRetransmission, "") \
    X(FastAfterDupAcks, "count seq") \
    X(FastBySack, "seq") \
    X(SpuriousRetransmission, "") \
    X(SpuriousAllAcked, "seq") \
    X(OutOfOrderFills, "seq frame") \
    X(OutOfOrderLate, "seq expected") \
    X(LostSegment, "expected got") \
    X(AckedUnseenBelow, "ack seen") \
    X(AckedUnseenGap, "ack") \
    X(DuplicateAckNumber, "n") \
    X(StillWaitsFor, "seq") \
    X(ZeroWindow, "me") \
    X(ZeroWindowProbeFinding, "") \
    X(ZeroWindowProbeAckFinding, "") \
    X(WindowUpdateFinding, "") \
    X(WindowFromTo, "from to") \
    X(WithoutNewDataOrAck, "") \
    X(WindowFull, "") \
    X(KeepAliveFinding, "") \
    X(KeepAliveAckFinding, "") \
    X(ReusedPorts, "frame") \
    X(SynRetransmission, "") \
    X(IllegalTransition, "from to") \
    X(SnaplenTruncated, "count") \
    X(OptionsCut, "") \
    X(MalformedPrefix, "") \
    X(BadTcpHeaderLen, "len") \
    X(BadTcpOptionLen, "kind len") \
    X(BadIpHeaderLen, "len") \
    X(BadIpTotalLen, "len available") \
    X(IpFragment, "offset") \
    X(TimestampBackwards, "delay") \
    X(WindowScaleOutOfRange, "shift") \
    X(RstWithData, "count") \
    X(DataOnSyn, "count") \
    X(MidStreamStart, "") \
    X(RoleGuessed, "port") \
    X(SynAckWithoutSyn, "") \
    X(SimultaneousOpen, "") \
    X(RefusalContradicted, "frame") \
    X(SentBeforeByTimestamp, "frame echo") \
    X(SentBeforeByOrder, "frame") \
    X(DataAfterFin, "") \
    X(DataAfterReset, "") \
    X(SegmentAfterReset, "") \
    X(AllFlagsSet, "") \
    X(NoFlags, "") \
    X(SynWithFin, "") \
    X(DuplicateFrame, "") \
    X(DuplicateFrameWhy, "") \
    X(SegmentExceedsMss, "size mss segments") \
    X(CaptureDrop, "me count other seq") \
    X(CaptureDropGap, "frame") \
    X(CaptureDropWhy, "") \
    X(IpLengthZero, "") \
    X(TruncatedFrame, "") \
    X(CaplenExceedsWirelen, "") \
    X(BadIpv6ExtHeader, "") \
    X(BadIpVersion, "") \
    X(UnsupportedLinkHeader, "") \
    X(IpReassembled, "count") \
    X(IpReassembledAmbiguous, "count") \
    X(AnalysisLimit, "") \
    X(IdleResumes, "delay") \
    X(IdleResumesEnd, "frame") \
    X(VlanDiffers, "mine theirs") \
    /* connection summary */ \
    X(SummaryHandshakeComplete, "") \
    X(SummaryHandshakeRtt, "rtt syn_synack synack_ack") \
    X(SummarySimultaneousOpen, "") \
    X(SummaryRefused, "") \
    X(SummaryUnanswered, "") \
    X(SummaryNoFinalAck, "") \
    X(SummaryNotSeen, "") \
    X(SummaryProbe, "") \
    X(ClosedGracefully, "by") \
    X(SummarySimultaneousClose, "") \
    X(HalfClosedBy, "by") \
    X(ClosingIncomplete, "") \
    X(ResetBy, "by") \
    X(ResetByPeerToo, "by") \
    X(StillOpen, "") \
    X(DataAfterClose, "") \
    X(CapturedOnHost, "") \
    X(CapturedNearClient, "") \
    X(CapturedNearServer, "") \
    X(CapturedBetween, "") \
    X(FirstResponseByte, "delay") \
    X(Exchanges, "count avg max") \
    X(AckRttLead, "") \
    X(AckRttSide, "side min avg max samples") \
    X(Stalls, "count") \
    X(StallSide, "time side") \
    X(SequenceGaps, "count reordering resend unfilled") \
    X(Reordered, "count") \
    X(CaptureDropsSummary, "count") \
    X(Packets, "total client server") \
    X(BytesClientToServer, "count") \
    X(BytesServerToClient, "count") \
    X(PayloadWithRetransmissions, "count") \
    X(SummaryDuration, "duration") \
    /* the text walkthrough's lines */ \
    X(ConnectionHeader, "id client server") \
    X(RolesInferred, "") \
    X(StateLabel, "") \
    X(ConnectionSummaryLabel, "id") \
    X(FindingsLabel, "") \
    X(SequenceGapNote, "count") \
    X(FinalStates, "client server conn_state history") \
    X(CaptureLabel, "") \
    X(CaptureCounts, "frames segments connections") \
    X(CaptureSkipped, "non_tcp non_ip malformed fragments") \
    X(TallyLabel, "") \
    X(TallyNone, "") \
    X(TallyFinding, "") \
    X(TallyCount, "") \
    X(TallyConnections, "") \
    X(TallyMore, "count") \
    /* the diagnosis sentence */ \
    X(DiagnosisLabel, "") \
    X(DiagnosisSeparator, "") \
    X(DiagReceiverLimited, "") \
    X(DiagZeroWindow, "side times duration spells") \
    X(DiagOnce, "") \
    X(DiagTwice, "") \
    X(DiagTimes, "count") \
    X(DiagThinkTimeOne, "duration exchanges") \
    X(DiagThinkTimeMany, "max total exchanges") \
    X(DiagRecovery, "segments fast timeout spurious") \
    X(DiagRecoveryTime, "duration recoveries") \
    X(DiagReordering, "count") \
    X(DiagCaptureLead, "") \
    X(DiagCaptureAckedUnseen, "count") \
    X(DiagCaptureDropped, "count") \
    X(DiagCaptureGaps, "count") \
    X(DiagCaptureSnaplen, "count") \
    X(DiagCaptureOffload, "count") \
    X(DiagNoProblem, "") \
    X(DiagRttUnknown, "") \
    X(DiagRttHandshake, "duration") \
    X(DiagRttAck, "duration") \
    /* -v: a segment's header details */ \
    X(VerboseIpv4, "ttl id") \
    X(VerboseIpv6, "hop_limit") \
    X(VerboseLengths, "wire captured") \
    X(VerboseWindowScaled, "raw window") \
    X(VerboseWindowUnscaled, "raw") \
    X(VerboseWindowUnknownScale, "raw") \
    X(VerboseUrgent, "pointer") \
    /* check */ \
    X(ErrorLine, "prog problem") \
    X(WarningLine, "prog problem") \
    X(NoteLine, "prog text") \
    X(UsageHint, "prog") \
    X(SeeHelp, "prog") \
    X(UnknownOption, "") \
    X(UnknownOptions, "") \
    X(UnexpectedArgument, "") \
    X(UnexpectedArguments, "") \
    X(NoCaptureGiven, "") \
    X(FileListEmpty, "path") \
    X(ConnNotInCapture, "count numbers") \
    X(NoPayloadFollowed, "id") \
    X(NoPayloadFollowedThatWay, "id") \
    X(WritingOutputFailed, "") \
    X(SkippedFile, "path reason") \
    X(CaptureTruncatedWarning, "message") \
    X(InterruptedWarning, "signal frame") \
    X(CapturingOn, "iface") \
    X(CapturingOnFiltered, "iface filter") \
    X(GraphNeedsSvg, "") \
    X(AsciiNeedsLadder, "") \
    X(TimeScaleNeedsSvg, "") \
    X(GraphNeedsDot, "graph") \
    X(BigCaptureNeedsWalkthrough, "") \
    X(TimeFormatNeedsText, "") \
    X(UtcNeedsWall, "") \
    X(RawNeedsDirection, "") \
    X(LiveCapture, "source") \
    X(LiveCaptureFiltered, "source filter") \
    X(FinalisedEarly, "expired evicted") \
    X(CaptureDropsLabel, "") \
    X(CaptureDropsLine, "bytes drops bursts") \
    X(CaptureDropBurst, "first last bytes connections within") \
    X(CaptureDropMoreBursts, "count") \
    X(TruncatedCaptureLine, "message") \
    X(InterruptedCaptureLine, "signal frame") \
    X(KernelCounts, "received kernel interface") \
    X(MalformedRow, "reasons") \
    X(UndecodableReason, "") \
    X(CheckNoCapture, "") \
    X(CheckCommandWithoutLive, "") \
    X(CheckNoCommand, "") \
    X(CheckNothingToCheck, "") \
    X(CheckRulesDisagree, "first second") \
    X(CheckCommandRunsAs, "user") \
    X(CheckCannotRun, "error") \
    X(CheckCannotWriteJunit, "path error") \
    X(CheckCannotWriteReport, "") \
    X(CheckTruncatedWarning, "message") \
    X(CheckInterruptedWarning, "signal frame") \
    X(CheckKernelDropped, "count") \
    X(CheckEvicted, "count") \
    X(CheckHeader, "capture") \
    X(CheckCapture, "source connections") \
    X(CheckCaptureFiltered, "source filter connections") \
    X(CheckFrames, "frames") \
    X(CheckInterrupted, "signal") \
    X(CheckCommandLine, "argv status") \
    X(CheckWarning, "text") \
    X(CommandCannotStart, "error") \
    X(CommandKilledAfterTerm, "signal name ms") \
    X(CommandKilled, "signal") \
    X(CommandExited, "status") \
    X(CommandStillRunning, "") \
    X(CauseHeader, "sentence") \
    X(CauseBreaks, "client server count") \
    X(CheckNamed, "name") \
    X(CheckPass, "") \
    X(CheckFail, "") \
    X(CheckScope, "quantifier verdict") \
    X(CheckScopeSelect, "select") \
    X(CheckConnectionWhy, "label why") \
    X(CheckSeeCause, "cause") \
    X(CheckMoreLines, "count") \
    X(CheckNotKept, "count") \
    X(CheckTotals, "checks passed failed") \
    X(CheckJunitText, "expect quantifier verdict label message") \
    X(CheckJunitSelect, "select") \
    X(QuantifierAll, "") \
    X(QuantifierAny, "") \
    X(QuantifierExactly, "count") \
    X(VerdictOf, "satisfied selected") \
    X(VerdictNoneSelected, "") \
    X(ConnectionLabel, "id client server") \
    X(Satisfies, "verdict") \
    X(TermBroken, "field observed expected") \
    X(EvidenceAfter, "evidence") \
    X(TermSeparator, "") \
    X(RttSamples, "count") \
    X(WorstSample, "sample") \
    X(BestSample, "sample") \
    X(SampleNotKept, "") \
    X(SamplePair, "data ack rtt") \
    X(NoDataSegment, "role") \
    X(DataInFrame, "role frame") \
    X(DataInFrames, "role count first last") \
    X(DataRetransmitted, "count") \
    X(DecidedBy, "frame") \
    X(FirstRstIn, "frame") \
    X(FrameSegment, "frame segment") \
    X(SegmentFrom, "flags role") \
    X(CauseRefusedAt, "id frame") \
    X(CauseRefused, "id") \
    X(CauseNeverEstablished, "id where what") \
    X(CauseFrame, "frame") \
    X(CauseNoFrameKept, "") \
    X(CauseLastOfSyns, "count") \
    X(CauseTheSyn, "") \
    X(CauseIncompleteAt, "id frame") \
    X(CauseIncomplete, "id") \
    X(CauseWordRefused, "") \
    X(CauseWordNeverEstablished, "") \
    X(CauseWordHandshakeIncomplete, "") \
    X(IsnInferredText, "") \
    /* pictures */ \
    X(PicNoteRetransmits, "") \
    X(PicNoteFastRetransmit, "") \
    X(PicNoteSpuriousResend, "") \
    X(PicNoteSynAgain, "") \
    X(PicNoteDupAck, "n") \
    X(PicNoteDupAckOf, "n frame") \
    X(PicNoteZeroWindow, "") \
    X(PicNoteWindowProbe, "") \
    X(PicNoteProbeAck, "") \
    X(PicNoteKeepAlive, "") \
    X(PicNoteKeepAliveAck, "") \
    X(PicNoteOutOfOrder, "") \
    X(PicNoteAfterGap, "") \
    X(PicNoteWindowUpdate, "") \
    X(PicNoteWindowFull, "") \
    X(PicNoteAcksUncaptured, "") \
    X(PicNoteSimultaneousOpen, "") \
    X(PicNoteMidStream, "") \
    X(PicNoteNotCaptured, "") \
    X(PicMeaningUndecodable, "") \
    X(PicMeaningOpenRequest, "") \
    X(PicMeaningCrossingSyns, "") \
    X(PicMeaningAccepted, "") \
    X(PicMeaningHandshakeDone, "") \
    X(PicMeaningCrossingSynAcks, "") \
    X(PicMeaningData, "") \
    X(PicMeaningDataNoAck, "") \
    X(PicMeaningAckOfData, "") \
    X(PicMeaningAckNothingNew, "") \
    X(PicMeaningClose, "") \
    X(PicMeaningCloseToo, "") \
    X(PicMeaningCrossingFins, "") \
    X(PicMeaningFinAcked, "") \
    X(PicMeaningFinalAck, "") \
    X(PicMeaningRefused, "") \
    X(PicMeaningReset, "") \
    X(PicMeaningResetAfterClose, "") \
    X(PicMeaningDuplicateAck, "") \
    X(PicMeaningFinAgain, "") \
    X(PicMeaningScanProbe, "") \
    X(PicMeaningProbeAnswered, "") \
    X(PicMeaningNoAck, "") \
    X(PicNoLadder, "") \
    X(PicNoConnection, "") \
    X(PicRowsNotDrawn, "count max") \
    X(PicSegmentsNotDrawn, "count") \
    X(PicConnectionsNotDrawn, "count") \
    X(PicConnectionFirstLine, "id client") \
    X(PicConnectionSecondLine, "server") \
    X(PicRolesInferredLine, "") \
    X(PicRolesInferredShort, "") \
    X(PicConnection, "id") \
    X(PicClientAt, "endpoint") \
    X(PicServerAt, "endpoint") \
    X(PicArrowClientToServer, "") \
    X(PicArrowServerToClient, "") \
    X(PicTimeAxis, "") \
    X(PicSeqAxis, "") \
    X(PicWindowAbove, "edge") \
    X(PicZeroWindowAt, "frame") \
    X(PicLegendSegmentSent, "") \
    X(PicLegendRetransmission, "") \
    X(PicLegendAckWindow, "") \
    X(PicLegendSack, "") \
    X(PicTimeseqTitle, "id from to whose") \
    X(PicClientsData, "") \
    X(PicServersData, "") \
    X(PicTimeseqCut, "max count") \
    X(PicFigureLadder, "") \
    X(PicFigureTimeseq, "") \
    X(PicFigureStates, "") \
    X(PicHtmlReportTitle, "") \
    X(PicHtmlHint, "") \
    X(PicHtmlCapture, "") \
    X(PicHtmlConnections, "") \
    X(PicHtmlSource, "") \
    X(PicHtmlFormat, "") \
    X(PicHtmlFilter, "") \
    X(PicHtmlFramesLabel, "") \
    X(PicHtmlSelection, "") \
    X(PicHtmlSkippedLabel, "") \
    X(PicHtmlFinalisedLabel, "") \
    X(PicHtmlDropsLabel, "") \
    X(PicHtmlKernelLabel, "") \
    X(PicHtmlFrames, "frames segments") \
    X(PicHtmlSkipped, "non_tcp non_ip malformed fragments") \
    X(PicHtmlFinalised, "expired evicted") \
    X(PicHtmlDrops, "bytes drops bursts") \
    X(PicHtmlKernel, "received kernel interface") \
    X(PicHtmlTruncated, "") \
    X(PicHtmlInterrupted, "signal frame") \
    X(PicHtmlConnectionsLeftOut, "shown count max") \
    X(PicHtmlUndecoded, "count") \
    X(PicHtmlConnectionsHead, "") \
    X(PicHtmlConnectionHeading, "id client server") \
    X(PicHtmlRolesInferred, "") \
    X(PicHtmlSegmentsHead, "") \
    X(PicHtmlSegmentsLeftOut, "count shown max") \
    X(PicHtmlMalformed, "") \
    X(PicHtmlStateLabel, "") \
    X(PicHtmlOptionsLabel, "") \
    X(PicListSeparator, "") \
    X(PicTimeseqNoConnection, "") \
    X(PicTimeseqNote, "count") \
    X(PicStatesLegendKey, "") \
    X(PicFrameNotKept, "") \
    X(PicDotLegend, "") \
    X(PicDotClientPath, "") \
    X(PicDotServerPath, "") \
    X(PicDotBothSides, "") \
    X(PicDotNotTaken, "") \
    X(PicDotNotVisible, "") \
    X(PicDotFrameNumbers, "") \
    X(PicDotConnection, "id client server") \
    X(PicDotTitle, "") \
    X(PicTalkersTitle, "count") \
    X(PicTalkersEdge, "port count to_server to_client") \
    X(PicTalkersReset, "count") \
    X(PicTalkersNeverOpened, "count") \
    X(PicTalkersRetransmissions, "count") \
    X(PicColon, "") \
    X(StepStatus, "at total frame") \
    X(StepOutsideConnection, "") \
    X(StepConnection, "id client server") \
    X(StepMoreLines, "count") \
    X(StepEarlierLines, "count") \
    X(StepGoTo, "typed") \
    X(StepHelp, "") \
    X(StepLast, "") \
    X(StepFirst, "") \
    X(StepNoneAfter, "frame") \
    X(StepNotShown, "frame") \
    X(StepNothing, "") \
    /* content and streams */ \
    X(ContentItIs, "") \
    X(ContentLabel, "") \
    X(ContentSeparator, "") \
    X(ContentHttpRequest, "") \
    X(ContentHttpResponse, "") \
    X(ContentHttpVersionResponse, "version") \
    X(ContentHttp2Preface, "") \
    X(ContentClientHelloNoName, "") \
    X(ContentClientHelloFor, "name") \
    X(ContentUpTo, "version") \
    X(ContentServerHello, "") \
    X(ContentHelloRetryRequest, "") \
    X(ContentAlpnMore, "count") \
    X(ContentSshBanner, "") \
    X(ContentSshProtocol, "protocol") \
    X(ContentSmtpGreeting, "") \
    X(ContentFtpGreeting, "") \
    X(ContentSmtpOrFtpGreeting, "") \
    X(ContentPopGreeting, "") \
    X(ContentImapGreeting, "") \
    X(ContentMalformed, "") \
    X(ContentOverLimit, "") \
    X(ContentHelloIncomplete, "count") \
    X(ContentIncomplete, "") \
    X(StreamRange, "offset end") \
    X(StreamDuplicate, "count") \
    X(StreamOverlapping, "count new") \
    X(StreamInconsistent, "count") \
    X(StreamUncompared, "count") \
    X(StreamBeyondFin, "count") \
    X(StreamBeforeStart, "count") \
    X(StreamStatsLabel, "side") \
    X(StreamStatsDelivered, "count missing") \
    X(StreamStatsRanges, "count") \
    X(StreamStatsDuplicate, "count") \
    X(StreamStatsOverlapping, "count") \
    X(StreamStatsInconsistent, "count bytes") \
    X(StreamStatsBeyondFin, "count") \
    X(StreamStatsBeforeStart, "count") \
    X(SelectionShowing, "count list total") \
    X(SelectionMissing, "count list") \
    /* summary table and pictures */ \
    X(SummaryHeadId, "") \
    X(SummaryHeadClient, "") \
    X(SummaryHeadServer, "") \
    X(SummaryHeadDuration, "") \
    X(SummaryHeadPacketsToServer, "") \
    X(SummaryHeadPacketsToClient, "") \
    X(SummaryHeadBytesToServer, "") \
    X(SummaryHeadBytesToClient, "") \
    X(SummaryHeadRetransmissions, "") \
    X(SummaryHeadHandshake, "") \
    X(SummaryHeadRtt, "") \
    X(SummaryHeadClose, "") \
    X(SummaryHeadClosedBy, "") \
    X(SummaryHeadState, "") \
    X(SummaryHeadHistory, "") \
    X(SummaryInterrupted, "signal frame") \
    X(PicHtmlDetailFrame, "") \
    X(EventPassiveOpen, "") \
    X(EventActiveOpen, "") \
    X(EventRcvSyn, "") \
    X(EventSend, "") \
    X(EventCloseListener, "") \
    X(EventRcvSynSimultaneous, "") \
    X(EventRcvSynAck, "") \
    X(EventRcvRstRefused, "") \
    X(EventRcvAckOfSyn, "") \
    X(EventCloseSndFin, "") \
    X(EventRcvRstPassive, "") \
    X(EventAbort, "") \
    X(EventRcvFin, "") \
    X(EventRcvAckOfFin, "") \
    X(EventRcvFinAckOfFin, "") \
    X(EventRcvRst, "") \
    X(EventRcvAckOfFinOrRst, "") \
    X(EventTimeWaitTimeout, "") \
    X(EventSynchronizedBefore, "") \
    X(EventSynSentBefore, "") \
    X(EventSynNotCaptured, "") \
    X(EventFinPredates, "") \
    X(EventRcvFinPredates, "") \
    X(EventRstPredates, "") \
    /* command line and capture errors */ \
    X(CliUnknownOptions, "count list") \
    X(CliUnexpectedArguments, "count list") \
    X(CliMissingValue, "option count type") \
    X(CliNotInSet, "option value choices") \
    X(CliNotInRange, "option value low high") \
    X(CliOptionProblem, "option problem") \
    X(CliWholeNumberOutOfRange, "value low high") \
    X(CliNotWholeNumber, "value low high") \
    X(CliSecondsOutOfRange, "value low high") \
    X(CliNotSeconds, "value low high") \
    X(CliRequired, "option") \
    X(CliRequires, "option other") \
    X(CliExcludes, "option other") \
    X(CliNotConverted, "option value") \
    X(CliNotAllowedValue, "option value") \
    X(CliFlagWithValue, "option") \
    /* check parsers */ \
    X(DidYouMean, "suggestion") \
    X(SourceErrorWhere, "where message") \
    X(ExpectEmpty, "") \
    X(ExpectAndBetween, "word") \
    X(ExpectPredicateAfterAnd, "") \
    X(ExpectFieldName, "") \
    X(ExpectUnknownField, "field hint") \
    X(ExpectListFieldsHint, "") \
    X(ExpectUseEqEq, "") \
    X(ExpectOperatorAfter, "field") \
    X(ExpectValueAfter, "op") \
    X(ExpectOperatorUse, "op field kind ops") \
    X(ExpectOperatorSequence, "op field kind") \
    X(ExpectTeardownUseClose, "") \
    X(ExpectUnterminatedQuote, "") \
    X(ExpectQuoteSequence, "field") \
    X(ExpectValue, "") \
    X(ExpectAlternatives, "") \
    X(ExpectHistoryEscape, "") \
    X(ExpectHistoryRepeat, "") \
    X(ExpectHistoryChar, "character") \
    X(ExpectNoneOperator, "") \
    X(ExpectCountUnit, "field unit") \
    X(ExpectCountWhole, "field") \
    X(ExpectNumberUnit, "field unit") \
    X(ExpectNumberWhole, "field") \
    X(ExpectBadRegex, "error") \
    X(ExpectBoolean, "field word") \
    X(ExpectUnknownValue, "field word hint values") \
    X(ExpectQuoteRegex, "field example") \
    X(ExpectUnexpectedValue, "") \
    X(ExpectHistoryLetter, "letter") \
    X(ExpectUnknownFlagWord, "word hint") \
    X(ExpectSplitAck, "flags hint") \
    X(ExpectEmptySequence, "") \
    X(ExpectNegative, "") \
    X(ExpectTooLarge, "") \
    X(ExpectNumber, "word") \
    X(ExpectDecimalPlaces, "") \
    X(ExpectDigitsAfterPoint, "") \
    X(ExpectDurationUnit, "field example") \
    X(ExpectUnknownDurationUnit, "unit hint") \
    X(ExpectUnknownByteUnit, "unit hint") \
    X(ExpectFinerThanNs, "") \
    X(ExpectWholeBytes, "") \
    X(KindCount, "") \
    X(KindBytes, "") \
    X(KindDuration, "") \
    X(KindNumber, "") \
    X(KindBool, "") \
    X(KindEnum, "") \
    X(KindHistory, "") \
    X(KindText, "") \
    X(KindFlagSequence, "") \
    X(SelectUnexpected, "token") \
    X(SelectMissingParen, "") \
    X(SelectExpected, "") \
    X(SelectAfterSide, "side") \
    X(SelectAfterSideGot, "side word hint") \
    X(SelectValueAfter, "keyword") \
    X(SelectIdSide, "") \
    X(SelectPort, "word") \
    X(SelectUnknown, "word hint") \
    X(SelectPrefix, "word") \
    X(SelectPrefixLength, "length") \
    X(SelectAddress, "address") \
    X(SelectPrefixAbove, "max") \
    X(RulesUnknownKey, "where key hint keys") \
    X(RulesSelectType, "where type") \
    X(RulesQuantifier, "where got") \
    X(RulesExactlyNeedsCount, "where") \
    X(RulesCountContradicts, "where word") \
    X(RulesCountType, "where type") \
    X(RulesCountTooLarge, "where") \
    X(RulesTooDeep, "at levels") \
    X(RulesNotJson, "at what") \
    X(RulesNotObject, "path") \
    X(RulesFilterType, "path type") \
    X(RulesChecksArray, "path shape") \
    X(RulesCheckType, "where type") \
    X(RulesMissingExpect, "where") \
    X(RulesExpectItemType, "where type") \
    X(RulesExpectType, "where") \
    X(RulesNameType, "where") \
    X(RulesCannotOpen, "path") \
    X(RulesCannotRead, "path") \
    X(RulesTooLarge, "path mib") \
    X(FieldsHeader, "") \
    X(FieldsOperators, "") \
    X(FieldsUnits, "") \
    X(FieldsSequenceType, "") \
    X(FieldHandshake, "") \
    X(FieldHandshakeSequence, "") \
    X(FieldTeardownSequence, "") \
    X(FieldClose, "") \
    X(FieldClosedBy, "") \
    X(FieldRstBy, "") \
    X(FieldEndReason, "") \
    X(FieldConnState, "") \
    X(FieldHistory, "") \
    X(FieldRstCount, "") \
    X(FieldFinCount, "") \
    X(FieldSynCount, "") \
    X(FieldRetransmissions, "") \
    X(FieldCode, "code") \
    X(FieldPackets, "") \
    X(FieldClientPackets, "") \
    X(FieldServerPackets, "") \
    X(FieldBytes, "") \
    X(FieldClientBytes, "") \
    X(FieldServerBytes, "") \
    X(FieldPayloadBytes, "") \
    X(FieldClientPayloadBytes, "") \
    X(FieldServerPayloadBytes, "") \
    X(FieldRetransmittedBytes, "") \
    X(FieldHandshakeRtt, "") \
    X(FieldSynToSynack, "") \
    X(FieldSynackToAck, "") \
    X(FieldDuration, "") \
    X(FieldRttMin, "") \
    X(FieldRttMax, "") \
    X(FieldRttAvg, "") \
    X(FieldTimeToFirstByte, "") \
    X(FieldServerThinkMax, "") \
    X(FieldVantage, "") \
    X(FieldCaptureDroppedBytes, "") \
    X(FieldClientStreamBytes, "") \
    X(FieldServerStreamBytes, "") \
    X(FieldMissingBytes, "") \
    X(FieldInconsistentRetransmissions, "") \
    X(FieldMssClient, "") \
    X(FieldMssServer, "") \
    X(FieldWscaleClient, "") \
    X(FieldWscaleServer, "") \
    X(FieldSack, "") \
    X(FieldTimestamps, "") \
    X(FieldWindowScaling, "") \
    X(FieldSackClient, "") \
    X(FieldSackServer, "") \
    X(FieldTimestampsClient, "") \
    X(FieldTimestampsServer, "") \
    X(FieldRolesInferred, "") \
    X(FieldDataAfterClose, "") \
    X(FieldContentClient, "") \
    X(FieldContentServer, "") \
    X(FieldTlsSni, "") \
    X(FieldTlsVersion, "") \
    X(FieldHttpMethod, "") \
    X(FieldHttpTarget, "") \
    X(FieldHttpStatus, "") \
    X(FieldSshSoftware, "") \
    X(ExpectEqualOrNotEqual, "") \
    /* errfr */ \
    X(ErrSaid, "text") \
    X(ErrCannotOpen, "what reason") \
    X(ErrCannotOpenPlain, "what") \
    X(ErrCannotRead, "what reason") \
    X(ErrCannotReadPlain, "what") \
    X(ErrNotRegularDirect, "what") \
    X(ErrEmptyPcap, "what") \
    X(ErrEmptyCapture, "what") \
    X(ErrBadMagicPcap, "what") \
    X(ErrBadMagic, "what") \
    X(ErrNotCapture, "what reason") \
    X(ErrUnreadableCapture, "what format reason") \
    X(ErrPcapngEmpty, "what") \
    X(ErrPcapngNoSectionHeader, "what") \
    X(ErrReservedLinkBits, "what field") \
    X(ErrUnsupportedLink, "type name what") \
    X(ErrCannotOpenInterface, "iface reason") \
    X(ErrCapturePermission, "iface reason") \
    X(ErrNoSuchInterface, "iface reason") \
    X(ErrCaptureFailed, "iface reason") \
    X(ErrBadFilter, "filter reason") \
    X(ErrFilterNotInstalled, "filter reason") \
    X(ErrDumpSeveralLinkTypes, "what input types") \
    X(ErrDumpSetSeveralLinkTypes, "what") \
    X(ErrDumpNoMemory, "what") \
    X(ErrDumpFailed, "what reason") \
    X(ErrUnknownUser, "user") \
    X(ErrDropNotRoot, "user") \
    X(ErrDropCallFailed, "user call reason") \
    X(ErrDropUnchanged, "user") \
    X(ErrDropRegainable, "user") \
    X(ErrEverySkipped, "") \
    X(ErrFileListStdin, "list") \
    X(ErrRefuseInput, "what option") \
    X(ErrRefuseOneInput, "what option") \
    X(ErrRefuseNotPlainName, "what option") \
    X(ErrRefuseExists, "what option") \
    X(ErrRefuseLink, "what option") \
    X(ErrWriteForeignLink, "what option") \
    X(ErrWriteLinkChanged, "what option") \
    X(ErrWriteFailed, "what option reason") \
    X(ErrWriteNoDirectory, "what option reason dir") \
    X(ErrWriteIsDirectory, "what option reason") \
    X(ErrWriteFileForbidden, "what option reason") \
    X(ErrWriteDirectoryForbidden, "what option reason dir") \
    X(ErrWriteNotRegular, "what option") \
    X(ErrWriteNoLongerRegular, "what option") \
    X(ErrCreateDirectory, "what option reason") \
    X(ErrWriteIntoLink, "what option") \
    X(ErrWriteIntoNotDirectory, "what option") \
    X(ErrOpenDirectory, "what option reason") \
    X(ErrConnectionNumber, "item") \
    X(CliOptionAsFileName, "value") \
    X(CliFlagTakesNoValue, "option") \
    X(CliExpectedExactly, "option count got") \
    X(CliExpectedAtLeast, "option count got") \
    X(CliAtLeastReceived, "option count got") \
    X(CliAtMostReceived, "option count got") \
    X(CliTrueOrFalse, "option") \
    X(RulesJsonUnexpected, "at found byte expected") \
    X(RulesJsonUnexpectedHere, "at found byte") \
    X(RulesJsonEnds, "at byte expected") \
    X(RulesJsonEndsEarly, "at byte") \
    X(RulesJsonNumberTooLarge, "at") \
    X(JsonTokenString, "") \
    X(JsonTokenNumber, "") \
    X(JsonTokenValue, "") \
    X(JsonTokenEnd, "") \
    X(JsonTokenOpening, "") \
    /* demo */ \
    X(DemoCapturingIsolated, "prog name port") \
    X(DemoCapturingHost, "prog name port") \
    X(DemoInterrupted, "prog name") \
    X(DemoPermissionHint, "prog") \
    X(DemoExchangeFailed, "name problem") \
    X(DemoCannotPrepare, "name problem") \
    X(DemoSimultaneousCloseImpossible, "why") \
    X(DemoNoNamespace, "why") \
    X(DemoHostLoopbackAsked, "") \
    X(DemoNeedsFileName, "option") \
    X(DemoNoInterface, "") \
    X(DemoNoUser, "") \
    X(DemoNameOne, "") \
    X(DemoNameFirst, "") \
    X(DemoNoSuchDemo, "name") \
    X(DemoNoTemporaryDirectory, "") \
    X(DemoUsageHint, "prog") \
    X(DemoListHeader, "") \
    X(DemoAboutHandshake, "") \
    X(DemoAboutRefused, "") \
    X(DemoAboutHalfClose, "") \
    X(DemoAboutRstAbort, "") \
    X(DemoAboutSimultaneousClose, "") \
    /* follow */ \
    X(FollowRunHead, "side from to offset") \
    X(FollowMissing, "side count offset reason") \
    X(FollowTotals, "side delivered missing ranges") \
    X(FollowNote, "side note") \
    X(FollowNeverCaptured, "") \
    X(FollowSnaplenCut, "") \
    X(FollowBufferLimit, "") \
    X(StreamNoteSynData, "") \
    X(StreamNoteUrgent, "offset") \
    X(StreamNoteAfterFin, "count") \
    X(StreamNoteAfterRst, "") \
    X(StreamNoteMidStream, "") \
    /* help-fr */ \
    /* --help: CLI11's own words (a label CLI11 writes a colon after ends with the space French */ \
    /* puts before one), the descriptions of the options and the commands, their paragraphs */ \
    X(HelpLabelUsage, "") \
    X(HelpLabelOptions, "") \
    X(HelpLabelPositionals, "") \
    X(HelpLabelRequired, "") \
    X(HelpEnvironmentVariable, "name") \
    X(HelpLabelNeeds, "") \
    X(HelpLabelExcludes, "") \
    X(HelpLabelText, "") \
    X(HelpLabelInt, "") \
    X(HelpLabelUint, "") \
    X(HelpLabelFloat, "") \
    X(HelpOptionsGroup, "") \
    X(HelpHelpFlag, "") \
    X(HelpVersionFlag, "") \
    X(HelpSecondsRange, "lo hi") \
    X(HelpWholeNumberRange, "lo hi") \
    X(HelpIntegerRange, "lo hi") \
    X(HelpLang, "") \
    X(HelpRead, "") \
    X(HelpFileList, "") \
    X(HelpKeepGoing, "") \
    X(HelpWalkthroughAbout, "") \
    X(HelpSubcommands, "") \
    X(HelpExitStatus, "") \
    X(HelpCaptureAndFilter, "") \
    X(HelpShard, "") \
    X(HelpNoNameResolution, "") \
    X(HelpConn, "") \
    X(HelpInterface, "") \
    X(HelpCount, "") \
    X(HelpWrite, "") \
    X(HelpWriteStreams, "") \
    X(HelpForce, "") \
    X(HelpFollow, "") \
    X(HelpFollowFormat, "") \
    X(HelpReassemble, "") \
    X(HelpStreamBuffer, "") \
    X(HelpStreamMemory, "") \
    X(HelpFollowDirection, "") \
    X(HelpUser, "") \
    X(HelpSnaplen, "") \
    X(HelpPromiscuous, "") \
    X(HelpFormat, "") \
    X(HelpAscii, "") \
    X(HelpTimeScale, "") \
    X(HelpGraph, "") \
    X(HelpSummary, "") \
    X(HelpFindingsOnly, "") \
    X(HelpNoFindingsTally, "") \
    X(HelpTimeFormat, "") \
    X(HelpUtc, "") \
    X(HelpLocaltime, "") \
    X(HelpStep, "") \
    X(HelpPayloadAscii, "") \
    X(HelpPayloadHex, "") \
    X(HelpVerbose, "") \
    X(HelpAbsoluteSeq, "") \
    X(HelpColor, "") \
    X(HelpStrict, "") \
    X(HelpQuiet, "") \
    X(HelpIdleTimeout, "") \
    X(HelpHandshakeTimeout, "") \
    X(HelpClosedLinger, "") \
    X(HelpMaxConnections, "") \
    X(HelpThreads, "") \
    X(HelpCheckAbout, "") \
    X(HelpCheckCapture, "") \
    X(HelpCheckInterface, "") \
    X(HelpCheckExpect, "") \
    X(HelpCheckRules, "") \
    X(HelpCheckSelect, "") \
    X(HelpCheckAll, "") \
    X(HelpCheckAny, "") \
    X(HelpCheckCount, "") \
    X(HelpCheckJunit, "") \
    X(HelpCheckWrite, "") \
    X(HelpCheckFormat, "") \
    X(HelpCheckGrace, "") \
    X(HelpCheckUser, "") \
    X(HelpCheckListFields, "") \
    X(HelpCheckFooter, "") \
    X(HelpDemo, "") \
    /* ingest-fr */ \
    X(PcapngEndsInBlockHeader, "offset") \
    X(PcapngReadError, "offset reason") \
    X(PcapngEndsInSectionHeader, "offset") \
    X(PcapngBadByteOrderMagic, "offset magic") \
    X(PcapngBadBlockLength, "offset type length") \
    X(PcapngEndsInLongBlock, "offset type length") \
    X(PcapngEndsInBlock, "offset") \
    X(PcapngTrailerDiffers, "offset type") \
    X(PcapngUnsupportedVersion, "offset major minor") \
    X(PcapngSectionOptionOverrun, "offset") \
    X(PcapngInterfaceTooShort, "offset minimum") \
    X(PcapngInterfaceOptionOverrun, "offset") \
    X(PcapngTooManyInterfaces, "offset limit") \
    X(PcapngSimplePacketTooShort, "offset minimum") \
    X(PcapngPacketTooShort, "offset minimum") \
    X(PcapngCaplenPastBlock, "offset caplen") \
    X(PcapngUnknownInterface, "offset interface count") \
    X(ReadStoppedIn, "what reason") \
    X(ReadTruncatedCapture, "") \
    X(ReadFailed, "") \
    X(ReadNoteAsWritten, "text") \
    /* pcap */ \
    X(PcapTruncatedFileHeader, "wanted got") \
    X(PcapArchaicFormat, "") \
    X(PcapUnsupportedVersion, "major minor") \
    X(PcapTruncatedRecordHeader, "wanted got") \
    X(PcapTruncatedRecord, "wanted got") \
    X(PcapCaplenOverSnaplen, "caplen snaplen") \
    X(PcapCaplenOverMaximum, "caplen maximum") \
    X(PcapReadFailed, "reason") \
    /* refusals */ \
    X(StepNeedsTextOrLadder, "") \
    X(StepOrSummary, "") \
    X(StepOrFollow, "") \
    X(StepNotLive, "") \
    X(StepNotStandardInput, "") \
    X(StepInputNotTerminal, "") \
    X(StepOutputNotTerminal, "") \
    X(StepNoTerminal, "") \
    X(StepTooManySegments, "limit") \
    X(StepTerminalUnreadable, "") \
    X(ShardNotIOverN, "") \
    X(ShardDoesNotExist, "shard") \
    X(FileSetStandardInput, "") \
    X(FilterNoProgramForLink, "link") \
    X(ReadStreamMixedLinkTypes, "what reason") \
    X(DemoCallFailed, "call reason") \
    X(DemoPortTaken, "port") \
    X(DemoPeerClosedEarly, "") \
    X(DemoBytesDiffer, "got wanted") \
    X(DemoClientFailed, "problem") \
    X(DemoServerFailed, "problem") \
    X(DemoTcMissing, "") \
    X(DemoTcFailed, "command") \
    X(DemoTcFailedSaying, "command reason") \
    /* compact closed */ \
    X(HelpCompactClosed, "") \
    /* json spill file */ \
    X(SpillWriteFailed, "reason") \
    X(SpillReadFailed, "reason") \
    X(SpillFileShort, "")
// clang-format on

enum class Msg : std::uint16_t {
#define TFX_MESSAGE_ID(id, params) id,
    TFX_MESSAGES(TFX_MESSAGE_ID)
#undef TFX_MESSAGE_ID
};

inline constexpr std::size_t kMessageCount = 0
#define TFX_MESSAGE_ONE(id, params) +1
    TFX_MESSAGES(TFX_MESSAGE_ONE)
#undef TFX_MESSAGE_ONE
    ;

}  // namespace tfx::i18n
