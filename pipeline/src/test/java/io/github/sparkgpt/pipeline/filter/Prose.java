package io.github.sparkgpt.pipeline.filter;

import io.github.sparkgpt.pipeline.Document;

/** Hand-written realistic prose in the layouts of the demo corpora, shared by the filter tests. */
public final class Prose {
  private Prose() {}

  /**
   * A speech held on one line per paragraph, paragraphs separated by blank lines (State of the
   * Union style).
   */
  public static final String SPEECH =
      "Mr. Speaker, Mr. Vice President, members of the Congress, and my fellow citizens: it is my"
          + " duty to report to you on the state of our nation, and I am glad to say that the"
          + " nation is strong and at peace.\n\n"
          + "This past year our farmers brought in a harvest larger than any before, and our"
          + " factories hired more workers than at any time in the last decade. Yet we know that"
          + " prosperity is not shared by every family, and that too many of our children still go"
          + " to schools that have neither books nor heat in winter.\n\n"
          + "I ask the Congress to pass a bill that will build new roads and bridges in every"
          + " state, to train young people for the jobs that are coming, and to keep faith with the"
          + " veterans who served this country with honor. These are not the demands of one party;"
          + " they are the needs of the whole people.\n\n"
          + "We must also look beyond our own shores. Our allies have stood with us in hard times,"
          + " and we will stand with them. Trade that is fair to our workers will bring our nations"
          + " closer together and make the world a safer place for all of us.\n\n"
          + "Let us go forward together, with confidence in our institutions and faith in one"
          + " another. Thank you, and may God bless this nation.";

  /** One tokenized sentence per paragraph, punctuation split off by spaces (Brown corpus style). */
  public static final String TOKENIZED =
      "\n\n"
          + "\tThe committee said on Tuesday that the new library would open in the spring , after"
          + " two years of work .\n\n\n"
          + "\tThe building , which cost more than four million dollars , has room for three"
          + " hundred thousand books .\n\n\n"
          + "\tMayor Allen told reporters that the city was proud of the project and of the people"
          + " who had made it possible .\n\n\n"
          + "\t`` We have waited a long time for this day '' , he said .\n\n\n"
          + "\tThe old library on Main Street will be turned into a museum of local history .\n\n\n"
          + "\tSchool children will be able to visit it free of charge during the week .\n";

  /**
   * Novel paragraphs separated by blank lines, with dialogue and curly quotes (Moby Dick style).
   */
  public static final String NOVEL =
      "It was a cold grey morning when we left the harbour, and the wind came hard out of the"
          + " north-east. The old captain stood alone by the wheel, saying nothing to any man, and"
          + " watching the long line of the coast slip away behind us into the mist.\n\n"
          + "“Do you think he will speak to us today?” asked the boy who had come aboard with me. I"
          + " told him that I did not know, and that it was no business of ours to ask. He looked"
          + " at me for a while, and then went below to his hammock without another word.\n\n"
          + "All that day the ship ran before the wind. The sailors worked the sails and coiled the"
          + " ropes, and the cook made a thin soup that tasted of salt and smoke. By nightfall the"
          + " sea had grown rough, and the lanterns swung from side to side as the deck rose and"
          + " fell beneath our feet.";

  public static Document doc(String id, String text) {
    return Document.of(id, "test", text);
  }
}
