import type { Metadata } from "next";
import { NotFound } from "@/components/shell/NotFound";

export const metadata: Metadata = { title: "Not found" };

/** A meeting, item, person, topic, host or VM that does not exist (notFound() in its page). */
export default NotFound;
