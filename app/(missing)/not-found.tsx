import type { Metadata } from "next";
import { NotFound } from "@/components/shell/NotFound";

export const metadata: Metadata = { title: "Not found" };

/** A wrong address ([...missing]/page.tsx). */
export default NotFound;
